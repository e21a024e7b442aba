/**
 * The SQLite result codes that mean "another connection holds the lock": SQLITE_BUSY and its extended codes
 * (BUSY_SNAPSHOT, BUSY_RECOVERY, BUSY_TIMEOUT) and SQLITE_LOCKED with its own. A statement refused with one of
 * them did nothing, and better-sqlite3 rolls the failed transaction back, so the write can be tried again.
 */
export function sqliteBusyCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)(_[A-Z]+)?$/.test(code) ? code : undefined;
}
