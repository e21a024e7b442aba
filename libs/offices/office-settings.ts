import { ConfigError } from '../config/index.js';

/** How the office process runs: the renewal notice period and how often the scheduler looks at the due dates. */
export interface OfficeSettings {
  /** Days before a term's end at which its renewal falls due; frozen into each term when it begins. Default 90. */
  renewalNoticeDays: number;
  /** How often the scheduler reads the due dates (ms); default 60,000 (terms run for years, not seconds). */
  pollMs: number;
}

export const DEFAULT_RENEWAL_NOTICE_DAYS = 90;
export const DEFAULT_OFFICE_POLL_MS = 60_000;
/** A notice period must fall inside a two-year term. */
const MAX_NOTICE_DAYS = 729;

/**
 * Reads `U4SSC_RENEWAL_NOTICE_DAYS` (whole days, 1-729). The API and the CLI read the same variable, so a term
 * recorded from either gets the same renewal date. Changing it affects terms recorded afterwards only.
 */
export function loadOfficeSettings(env: Readonly<Record<string, string | undefined>> = process.env): OfficeSettings {
  const raw = env.U4SSC_RENEWAL_NOTICE_DAYS;
  let renewalNoticeDays = DEFAULT_RENEWAL_NOTICE_DAYS;
  if (raw !== undefined && raw !== '') {
    const days = /^\d{1,3}$/.test(raw) ? Number(raw) : NaN;
    if (!(days >= 1 && days <= MAX_NOTICE_DAYS)) {
      throw new ConfigError([
        { variable: 'U4SSC_RENEWAL_NOTICE_DAYS', message: `U4SSC_RENEWAL_NOTICE_DAYS=${JSON.stringify(raw)} is not a notice period; use whole days from 1 to ${MAX_NOTICE_DAYS} (default ${DEFAULT_RENEWAL_NOTICE_DAYS})` },
      ]);
    }
    renewalNoticeDays = days;
  }
  return { renewalNoticeDays, pollMs: DEFAULT_OFFICE_POLL_MS };
}

export function officeSettings(overrides: Partial<OfficeSettings> = {}, env?: Readonly<Record<string, string | undefined>>): OfficeSettings {
  const base = loadOfficeSettings(env);
  const settings = { ...base, ...Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined)) };
  if (!(Number.isInteger(settings.renewalNoticeDays) && settings.renewalNoticeDays >= 1 && settings.renewalNoticeDays <= MAX_NOTICE_DAYS)) {
    throw new Error(`renewalNoticeDays must be whole days from 1 to ${MAX_NOTICE_DAYS}, not ${settings.renewalNoticeDays}`);
  }
  return settings;
}
