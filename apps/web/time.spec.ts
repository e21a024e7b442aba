import { describe, expect, it } from '@jest/globals';
import { dayElement, dayText, instantAndRelativeElement, instantElement, instantText, localInputValue, relativeText, utcFromLocalInput } from './time.js';

const now = new Date('2026-05-04T08:00:00.000Z');
const later = (ms: number) => new Date(now.getTime() + ms).toISOString();

describe('times on the web pages (UTC, the same text in every locale)', () => {
  it('reads a datetime-local value as UTC, and passes anything else to the API as it is', () => {
    expect(utcFromLocalInput('2026-09-01T09:00')).toBe('2026-09-01T09:00:00Z');
    expect(utcFromLocalInput('2026-09-01T09:00:30')).toBe('2026-09-01T09:00:30Z');
    expect(utcFromLocalInput('2026-09-01T09:00:30.250')).toBe('2026-09-01T09:00:30.250Z');
    expect(utcFromLocalInput('2026-09-01T09:00:00.000Z')).toBe('2026-09-01T09:00:00.000Z');
    expect(utcFromLocalInput(['2026-01-01T00:00', ' 2026-09-01T09:00 '])).toBe('2026-09-01T09:00:00Z'); // a repeated field: the last
    expect(utcFromLocalInput('last tuesday')).toBe('last tuesday'); // the API's validation names what is wrong
    expect(utcFromLocalInput('  ')).toBeUndefined();
    expect(utcFromLocalInput(undefined)).toBeUndefined();
  });

  it('gives the datetime-local value of an instant, in UTC, to the second', () => {
    expect(localInputValue('2026-09-01T09:00:30.125Z')).toBe('2026-09-01T09:00:30');
    expect(localInputValue('2026-09-01T11:00:00+02:00')).toBe('2026-09-01T09:00:00');
    expect(localInputValue('nonsense')).toBe('');
  });

  it('writes days and instants in UTC, to the minute unless the seconds say more', () => {
    expect(dayText('2026-03-02T09:00:00.000Z')).toBe('2 Mar 2026');
    expect(dayText('2026-03-02T23:30:00-02:00')).toBe('3 Mar 2026'); // already the next day in UTC
    expect(dayText('2026-09-30')).toBe('30 Sep 2026');
    expect(instantText('2026-03-02T09:00:00.000Z')).toBe('2 Mar 2026, 09:00 UTC');
    expect(instantText('2026-03-02T09:00:30.000Z')).toBe('2 Mar 2026, 09:00:30 UTC');
    expect(instantText('2026-12-31T23:59:00.999Z')).toBe('31 Dec 2026, 23:59 UTC');
    expect(instantText('2026-09-01T11:00:00+02:00')).toBe('1 Sep 2026, 09:00 UTC');
    expect(instantText('not a date')).toBe('not a date');
    expect(dayText('not a date')).toBe('not a date');
  });

  it('writes exact instants for the auditor: always the seconds, the milliseconds when there are some', () => {
    expect(instantText('2026-09-01T09:00:00.000Z', { exact: true })).toBe('1 Sep 2026, 09:00:00 UTC');
    expect(instantText('2026-09-01T11:00:00.125+02:00', { exact: true })).toBe('1 Sep 2026, 09:00:00.125 UTC');
    expect(instantText('2026-09-01T09:00:30.000Z', { exact: true })).toBe('1 Sep 2026, 09:00:30 UTC');
  });

  it('says how far an instant is from now, in the largest unit that reads well', () => {
    expect(relativeText(later(14 * 86_400_000), now)).toBe('in 14 days');
    expect(relativeText(later(2 * 86_400_000), now)).toBe('in 2 days');
    expect(relativeText(later(36 * 3_600_000), now)).toBe('in 36 hours');
    expect(relativeText(later(-3 * 3_600_000), now)).toBe('3 hours ago');
    expect(relativeText(later(-24 * 3_600_000), now.getTime())).toBe('24 hours ago');
    expect(relativeText(later(5 * 60_000), now)).toBe('in 5 minutes');
    expect(relativeText(later(-60_000), now)).toBe('1 minute ago');
    expect(relativeText(later(-3 * 60_000), now)).toBe('3 minutes ago');
    expect(relativeText(later(20_000), now)).toBe('in less than a minute');
    expect(relativeText(later(0), now)).toBe('just now');
    expect(relativeText(later(-20_000), now)).toBe('just now');
  });

  it('marks days and instants up as <time datetime> for machines, a dash when there is none', () => {
    expect(dayElement('2026-03-02T09:00:00.000Z').value).toBe('<time datetime="2026-03-02T09:00:00.000Z">2 Mar 2026</time>');
    expect(instantElement('2026-03-02T09:00:00.000Z').value).toBe('<time datetime="2026-03-02T09:00:00.000Z">2 Mar 2026, 09:00 UTC</time>');
    expect(instantElement('2026-03-02T09:00:00.250Z', { exact: true }).value).toBe('<time datetime="2026-03-02T09:00:00.250Z">2 Mar 2026, 09:00:00.250 UTC</time>');
    expect(dayElement(undefined).value).toBe('<span class="muted">—</span>');
    expect(instantElement(null).value).toBe('<span class="muted">—</span>');
    expect(instantAndRelativeElement(later(14 * 86_400_000), now).value).toBe(
      '<time datetime="2026-05-18T08:00:00.000Z">18 May 2026, 08:00 UTC</time> <span class="muted">(in 14 days)</span>',
    );
    expect(instantElement('"><script>').value).not.toContain('<script>'); // escaped like any other text
  });
});
