import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteEventStore } from '../libs/event-store/index.js';
import { assertBuilt, runCli } from './support/cli.js';
import { tempDir } from './support/temp-dir.js';

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();

/**
 * Bootstrap at go-live (issue 4): `u4ssc offices import <file.json>` records the holders already serving, each with
 * the decision that appointed them, marked imported in the events' envelope; the register, `verify` and the other
 * office commands work on them like on any term. The CLI runs as a child process on a SQLite file (real clock).
 */
describe('u4ssc offices, run as a child process on a SQLite file', () => {
  const dir = tempDir();
  const file = join(dir.path, 'u4ssc.sqlite');
  const env = { U4SSC_STORE: 'sqlite', U4SSC_SQLITE_FILE: file, U4SSC_TOKEN_SECRET: '' };
  const goLive = join(dir.path, 'go-live.json');
  const chairStart = daysAgo(400);

  beforeAll(() => {
    assertBuilt();
    writeFileSync(
      goLive,
      JSON.stringify({
        holders: [
          { seat: 'chair', holderId: 'p-chair', holderName: 'Dr Chair', termStart: chairStart, reference: 'Annual Meeting, minutes item 3', decidedOn: chairStart.slice(0, 10) },
          { seat: 'vice-chair-1', holderId: 'p-vice', holderName: 'Ms Vice', termStart: daysAgo(100), reference: 'Partners Board e-decision 7/2026' },
          { seat: 'leader-kpis', holderId: 'p-kpi', holderName: 'Dr KPI', termStart: daysAgo(30), reference: 'Chair’s letter, in consultation with the Secretariat' },
        ],
      }),
    );
  });
  afterAll(() => dir.remove());

  it('imports the holders serving at go-live, each with its decision; a second run appends nothing', async () => {
    const first = runCli(['offices', 'import', goLive, '--as', 'sec-bueti'], env);
    expect([first.status, first.stderr]).toEqual([0, '']);
    expect(first.stdout).toContain(`imported: chair p-chair (term 1, ${chairStart} → `);
    expect(first.stdout).toContain('offices import: 3 imported, 0 already imported, 0 refused');
    const again = runCli(['offices', 'import', goLive], env);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('offices import: 0 imported, 3 already imported, 0 refused');

    const store = SqliteEventStore.open(file);
    try {
      const [event] = await store.readStream('office-chair');
      expect(event).toMatchObject({
        type: 'HolderAppointed',
        data: { holderId: 'p-chair', term: { start: chairStart }, grounds: { kind: 'imported', authority: 'partners-board', reference: 'Annual Meeting, minutes item 3' } },
        metadata: { imported: true, actor: { id: 'sec-bueti', role: 'secretariat' } },
      });
      // The signing key's publication at first start, then the three appointments.
      expect(await store.headPosition()).toBe(4);
    } finally {
      await store.close();
    }
  });

  it('refuses an entry whose term is already over (exit 1), and still verifies the log', () => {
    const stale = join(dir.path, 'stale.json');
    writeFileSync(stale, JSON.stringify({ holders: [{ seat: 'ip-leader', holderId: 'p-ip', holderName: 'Old', termStart: daysAgo(800), reference: 'Annual Meeting 2024' }] }));
    const result = runCli(['offices', 'import', stale], env);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/refused: ip-leader p-ip: a term begun on .* ended on .*only holders still serving at go-live are imported/);
    const verify = runCli(['verify'], env);
    expect(verify.status).toBe(0);
  });

  it('lists the register now and as recorded at an instant before the import', () => {
    const now = runCli(['offices', 'list', '--json'], env);
    expect(now.status).toBe(0);
    const register = JSON.parse(now.stdout);
    expect(register.offices.map((entry: { seat: string; holder: { personId: string } }) => [entry.seat, entry.holder.personId])).toEqual([
      ['chair', 'p-chair'],
      ['vice-chair-1', 'p-vice'],
      ['leader-kpis', 'p-kpi'],
    ]);
    expect(register.offices[0]).toMatchObject({ term: { imported: true, grounds: { kind: 'imported' } } });
    // Before go-live nothing was recorded; what is known now says who held the Chair then.
    const before = daysAgo(10);
    expect(JSON.parse(runCli(['offices', 'list', '--at', before, '--json'], env).stdout).offices).toEqual([]);
    const known = JSON.parse(runCli(['offices', 'list', '--at', before, '--basis', 'latest', '--json'], env).stdout);
    expect(known.offices.map((entry: { holder: { personId: string } }) => entry.holder.personId)).toEqual(['p-chair', 'p-vice', 'p-kpi']);
  });

  it('shows upcoming expiries and a seat’s history; records a resignation and a Leader’s appointment; refuses an early expiry and a non-Chair (exit 1)', () => {
    const expiries = JSON.parse(runCli(['offices', 'expiries', '--within', '400d', '--json'], env).stdout);
    expect(expiries.expiries.map((expiry: { seat: string }) => expiry.seat)).toEqual(['chair']);
    const show = runCli(['offices', 'show', 'chair'], env);
    expect(show.stdout).toContain('grounds: imported decision: Annual Meeting, minutes item 3');
    const resign = runCli(['offices', 'resign', 'vice-chair-1', '--reason', 'Letter of resignation', '--as', 'p-vice', '--role', 'participant'], env);
    expect([resign.status, resign.stdout]).toEqual([0, expect.stringContaining('TermEnded → office-vice-chair-1@1 (ToR ¶28)')]);
    // The imported Chair appoints a Leader (recorded by the Secretariat), on the real clock: the term starts when recorded.
    const leader = runCli(['offices', 'appoint', 'leader-water', '--holder', 'p-w', '--name', 'Dr Water', '--appointed-by', 'p-chair', '--json'], env);
    expect(leader.status).toBe(0);
    const appointed = JSON.parse(leader.stdout);
    expect(appointed.resource.terms[0]).toMatchObject({ number: 1, grounds: { kind: 'chair-appointment', chairId: 'p-chair', chairTerm: 1 } });
    expect(appointed.resource.terms[0].start).toBe(appointed.resource.terms[0].recordedAt);
    const notChair = runCli(['offices', 'appoint', 'leader-energy', '--holder', 'p-e', '--name', 'E', '--appointed-by', 'p-vice'], env);
    expect([notChair.status, notChair.stderr]).toEqual([1, expect.stringMatching(/refused \(forbidden\): p-vice does not hold the office of Chair/)]);
    const early = runCli(['offices', 'end', 'chair'], env);
    expect(early.status).toBe(1);
    expect(early.stderr).toMatch(/refused \(rejected\): term 1 runs until/);
    expect(runCli(['offices', 'show'], env).status).toBe(2);
    expect(runCli(['offices', 'nominate', 'president', '--nominee', 'p', '--name', 'P'], env).status).toBe(2);
  });
});
