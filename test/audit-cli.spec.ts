import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertBuilt, runCli } from './support/cli.js';
import { tempDir } from './support/temp-dir.js';

const lastLine = (text: string) => text.trim().split('\n').at(-1) ?? '';

/** The auditors' commands, run as a child process on a SQLite file (issue 6). */
describe('u4ssc replay, anchor, verify, export and rebuild --check (SQLite file)', () => {
  const dir = tempDir();
  const elsewhere = tempDir();
  const file = join(dir.path, 'u4ssc.sqlite');
  const env = { U4SSC_STORE: 'sqlite', U4SSC_SQLITE_FILE: file };
  const bundle = join(dir.path, 'log.jsonl');

  beforeAll(() => {
    assertBuilt();
    expect(runCli(['partners', 'load-annex-ii', '--as', 'sec-1'], env).status).toBe(0);
  });
  afterAll(() => {
    dir.remove();
    elsewhere.remove();
  });

  it('replays a process now, at an instant before it began, and at a position', () => {
    const now = runCli(['replay', 'partner-ITU', '--json'], env);
    expect(now.status).toBe(0);
    const replay = JSON.parse(now.stdout);
    expect(replay).toMatchObject({ stream: 'partner-ITU', state: 'registered', revision: 0, machine: { id: 'partner', version: 1 } });
    expect(replay.history).toEqual([expect.objectContaining({ type: 'PartnerRegistered', capacity: { role: 'secretariat' }, clauses: ['¶12', 'Annex II'] })]);
    const before = JSON.parse(runCli(['replay', 'partner-ITU', '--at', '2000-01-01T00:00:00Z', '--json'], env).stdout);
    expect(before).toMatchObject({ state: 'unregistered', revision: -1, history: [] });
    const atPosition = JSON.parse(runCli(['replay', 'partner-ITU', '--position', String(replay.lastEvent.position - 1), '--json'], env).stdout);
    expect(atPosition.state).toBe('unregistered');
    const text = runCli(['replay', 'partner-ITU'], env);
    expect(text.stdout).toMatch(/^partner-ITU \(partner machine v1\): registered, revision 0$/m);
    expect(text.stdout).toMatch(/^next: PartnerWithdrawn → withdrawn \(ToR ¶12, ¶27\)$/m);
    expect(text.stdout).toMatch(/PartnerRegistered by sec-1 as secretariat \(ToR ¶12, Annex II; U4SSC-ToR-2023; machine v1\) → registered/);
  });

  it('refuses replay questions it cannot answer', () => {
    expect(runCli(['replay'], env).status).toBe(2);
    expect(runCli(['replay', 'partner-ITU', '--at', '2026-01-01', '--position', '3'], env).status).toBe(2);
    const missing = runCli(['replay', 'partner-WHO'], env);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/no process has a stream named "partner-WHO"/);
  });

  it('prints an anchor that verify then finds in the log', () => {
    const printed = runCli(['anchor'], env);
    expect(printed.status).toBe(0);
    const anchor = lastLine(printed.stdout);
    // The 17 registrations and the signing key's publication at first start.
    expect(anchor).toMatch(/^u4ssc-anchor:18:[0-9a-f]{32}$/);
    const checked = runCli(['verify', '--anchor', anchor, '--anchor', anchor.replace('u4ssc-anchor:', '').slice(0, 3 + 16)], env);
    expect(checked.status).toBe(0);
    expect(checked.stdout).toMatch(/verify: OK: 18 events in 18 streams/);
    expect(checked.stdout).toContain(`verify: anchor ${anchor}: matched`);
    expect(checked.stdout).toMatch(/verify: replayed through partner v1 \(17 events\), signing-keys v1 \(1 events\)/);
    const wrong = runCli(['verify', '--anchor', `u4ssc-anchor:18:${'0'.repeat(32)}`], env);
    expect(wrong.status).toBe(1);
    expect(wrong.stdout).toMatch(/FAULT \(anchor\) at position \d+, stream partner-\S+, revision 0/);
    expect(runCli(['verify', '--anchor', '17:abc'], env).status).toBe(2);
    const json = JSON.parse(runCli(['verify', '--json'], env).stdout);
    expect(json).toMatchObject({ ok: true, events: 18, anchor, head: { seq: 18 }, verification: { kind: 'full', recorded: true } });
    expect(checked.stdout).toMatch(/verify: full: the whole log was checked/);
    // From the checkpoint the full runs recorded: nothing new, nothing checked, the same anchor.
    const since = runCli(['verify', '--incremental'], env);
    expect(since.status).toBe(0);
    expect(since.stdout).toMatch(/verify: OK: 0 events/);
    expect(since.stdout).toContain(`verify: anchor now ${anchor}`);
    expect(since.stdout).toMatch(/verify: incremental: only the events after event 18 \(verified .*, full\) were checked/);
    expect(since.stdout).toMatch(/verify: last full verification .*: no fault, up to event 18/);
  });

  it('exports a bundle that verifies elsewhere with no database, and fails once a byte is changed', () => {
    const exported = runCli(['export', '--out', bundle], env);
    expect(exported.status).toBe(0);
    expect(exported.stdout).toMatch(/export: 18 events in 18 streams \(scope log\)/);
    const copy = join(elsewhere.path, 'copy.jsonl');
    copyFileSync(bundle, copy);
    // No store at all where it is checked: the configuration names a file that is never created.
    const nowhere = { U4SSC_STORE: 'sqlite', U4SSC_SQLITE_FILE: join(elsewhere.path, 'none', 'u4ssc.sqlite') };
    const offline = runCli(['verify', '--bundle', copy], nowhere);
    expect(offline.status).toBe(0);
    expect(offline.stdout).toMatch(/the bundle checks out/);
    expect(existsSync(join(elsewhere.path, 'none'))).toBe(false);
    const anchor = lastLine(runCli(['anchor'], env).stdout);
    expect(runCli(['verify', '--bundle', copy, '--anchor', anchor], nowhere).status).toBe(0);

    const text = readFileSync(copy, 'utf8');
    const at = text.indexOf('Telecommunication');
    writeFileSync(copy, `${text.slice(0, at)}X${text.slice(at + 1)}`);
    const edited = runCli(['verify', '--bundle', copy], nowhere);
    expect(edited.status).toBe(1);
    expect(edited.stdout).toMatch(/FAULT \(hash\) at position \d+, stream partner-ITU, revision 0/);
    expect(edited.stdout).toMatch(/does NOT check out/);
  });

  it('exports one stream and a time range, each checkable on its own', () => {
    const stream = join(dir.path, 'itu.jsonl');
    expect(runCli(['export', '--stream', 'partner-ITU', '--out', stream], env).stdout).toMatch(/1 events in 1 streams \(scope stream\)/);
    const checked = runCli(['verify', '--bundle', stream], env);
    expect(checked.status).toBe(0);
    expect(checked.stdout).toMatch(/not checked: ledger: not from this bundle/);
    const range = join(dir.path, 'range.jsonl');
    expect(runCli(['export', '--from', '2000-01-01T00:00:00Z', '--to', '2100-01-01T00:00:00Z', '--out', range], env).stdout).toMatch(/18 events in 18 streams \(scope range\)/);
    expect(runCli(['verify', '--bundle', range], env).status).toBe(0);
    expect(runCli(['export', '--from', 'soon', '--out', range], env).status).toBe(2);
    expect(runCli(['export'], env).status).toBe(2);
  });

  it('rebuild --check finds no difference, then names a read-model document changed behind the projector', () => {
    const clean = runCli(['rebuild', '--check'], env);
    expect(clean.status).toBe(0);
    // 17 summaries (`partners`); no Partner came back, so no earlier period sits in a `partner-periods` chunk.
    expect(clean.stdout).toMatch(/rebuild --check: partners: 17 documents rebuilt up to position 18/);
    expect(lastLine(clean.stdout)).toBe('rebuild --check: OK: every read model equals its rebuild from position 0');

    const db = new Database(file);
    db.prepare("UPDATE read_model_docs SET doc = replace(doc, 'Food', 'Feed') WHERE collection = 'partners' AND id = 'FAO'").run();
    db.prepare("DELETE FROM read_model_docs WHERE collection = 'partners' AND id = 'ITU'").run();
    db.close();
    const dirty = runCli(['rebuild', '--check'], env);
    expect(dirty.status).toBe(1);
    expect(dirty.stdout).toContain('rebuild --check: DIFFERENT partners: partners/FAO differs in name');
    expect(dirty.stdout).toContain('rebuild --check: DIFFERENT partners: partners/ITU is missing from the live read model');
    const json = JSON.parse(runCli(['rebuild', '--check', '--json'], env).stdout);
    expect(json.differences).toHaveLength(2);

    expect(runCli(['rebuild'], env).status).toBe(0);
    expect(runCli(['rebuild', '--check'], env).status).toBe(0);
  });

  it('refuses to print an anchor for a log that does not verify', () => {
    const db = new Database(file);
    for (const { name } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events'").all() as { name: string }[]) {
      db.exec(`DROP TRIGGER "${name}"`);
    }
    db.prepare("UPDATE events SET data = replace(data, 'Food', 'Feed') WHERE stream = 'partner-FAO'").run();
    db.close();
    const refused = runCli(['anchor'], env);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toMatch(/anchor: FAULT \(hash\).*stream partner-FAO/);
    expect(refused.stdout).not.toMatch(/u4ssc-anchor:/);
  });
});
