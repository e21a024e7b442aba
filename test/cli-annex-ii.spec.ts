import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../libs/config/index.js';
import { closeStores, openStores } from '../libs/engine/index.js';
import { systemClock } from '../libs/kernel/clock.js';
import { decideRegister } from '../libs/partners/partner.decide.js';
import { partnerProcess, partnerStream } from '../libs/partners/partner.process.js';
import { runCommand } from '../libs/process-runner/index.js';
import { assertBuilt, runCli } from './support/cli.js';
import { tempDir } from './support/temp-dir.js';

const lastLine = (text: string) => text.trim().split('\n').at(-1) ?? '';
const ids = (listing: string) => listing.trim().split('\n').filter(Boolean).map((line) => line.split(/\s+/)[0]).sort();

const ANNEX_II = ['CBD', 'ECLAC', 'FAO', 'ITU', 'UN-Habitat', 'UN-Women', 'UNDP', 'UNECA', 'UNECE', 'UNEP', 'UNEP-FI', 'UNESCO', 'UNFCCC', 'UNIDO', 'UNOP', 'UNU-EGOV', 'WMO'];

describe('partners load-annex-ii: the Annex II register loaded as history (ToR ¶12, Annex II)', () => {
  const dir = tempDir();
  const env = { U4SSC_STORE: 'sqlite', U4SSC_SQLITE_FILE: join(dir.path, 'u4ssc.sqlite') };

  beforeAll(() => assertBuilt());
  afterAll(() => dir.remove());

  it('imports every Partner from the day it joined, so the register at a date before the load lists them', () => {
    const loaded = runCli(['partners', 'load-annex-ii', '--as', 'sec-1'], env);
    expect(loaded.status).toBe(0);
    expect(lastLine(loaded.stdout)).toBe('partners load-annex-ii: 17 imported, 0 already on the register, 0 refused');
    expect(loaded.stdout).toContain('imported: ITU, a Partner since 2016-05-18');
    expect(loaded.stdout).toContain('imported: FAO, a Partner since 2023-12-31');

    // Before this load: 30 June 2026 and 1 January 2024 see all 17, 2020 the two that launched the U4SSC (ToR ¶1-¶2).
    for (const at of ['2026-06-30T23:59:59Z', '2024-01-01T00:00:00Z']) {
      const listed = runCli(['partners', 'list', '--at', at], env);
      expect(listed.status).toBe(0);
      expect(ids(listed.stdout)).toEqual(ANNEX_II);
    }
    expect(ids(runCli(['partners', 'list', '--at', '2020-01-01T00:00:00Z'], env).stdout)).toEqual(['ITU', 'UNECE']);
    const before = runCli(['partners', 'list', '--at', '2016-05-17T23:59:59Z'], env);
    expect(before.status).toBe(0);
    expect(ids(before.stdout)).toEqual([]);
  });

  it('shows kinds of organisation by their labels, and the names as the organisations bear them', () => {
    const listed = runCli(['partners', 'list'], env).stdout;
    expect(listed).toMatch(/^UNECA\s+United Nations Economic Commission for Africa \(Regional commission\), a Partner since 2023-12-31$/m);
    expect(listed).toMatch(/^UN-Women\s+.* \(Other UN entity\), a Partner since 2023-12-31$/m);
    expect(listed).toMatch(/^UNFCCC\s+Secretariat of the United Nations Framework Convention on Climate Change \(Convention secretariat\)/m);
    expect(listed).not.toMatch(/other-un-entity|regional-commission/);
  });

  it('records the registrations as imported', () => {
    const replayed = runCli(['replay', 'partner-UNECA', '--json'], env);
    expect(replayed.status).toBe(0);
    const { history } = JSON.parse(replayed.stdout) as { history: { type: string; imported?: boolean }[] };
    expect(history).toEqual([expect.objectContaining({ type: 'PartnerRegistered', imported: true })]);
  });

  it('refuses, with status 2 and nothing appended, a fixture that gives a Partner no joining day and no default', () => {
    const fixture = join(dir.path, 'undated.json');
    writeFileSync(fixture, JSON.stringify({ intentReference: 'test', partners: [{ partnerId: 'UNICEF', name: 'United Nations Children’s Fund', entityType: 'fund-or-programme' }] }));
    const refused = runCli(['partners', 'load-annex-ii', '--file', fixture, '--as', 'sec-1'], env);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/no joinedOn for UNICEF and no defaultJoinedOn/);
    expect(runCli(['replay', 'partner-UNICEF'], env).stderr).toMatch(/no process has a stream named "partner-UNICEF"/);
  });

  it('appends nothing and exits 0 when run again', () => {
    const again = runCli(['partners', 'load-annex-ii', '--as', 'sec-1'], env);
    expect(again.status).toBe(0);
    expect(lastLine(again.stdout)).toBe('partners load-annex-ii: 0 imported, 17 already on the register, 0 refused');
    expect(runCli(['verify'], env).stdout).toMatch(/verify: OK: 18 events in 18 streams/);
  });
});

describe('partners load-annex-ii after a Partner was registered by hand', () => {
  const dir = tempDir();
  const env = { U4SSC_STORE: 'sqlite', U4SSC_SQLITE_FILE: join(dir.path, 'u4ssc.sqlite') };

  beforeAll(async () => {
    assertBuilt();
    // ITU registered through the ordinary register command, as the Secretariat does over HTTP.
    const stores = await openStores(loadConfig(env), { notice: () => undefined });
    const actor = { id: 'sec-2', role: 'secretariat' };
    const itu = { partnerId: 'ITU', name: 'International Telecommunication Union', entityType: 'specialized-agency' as const, intentReference: 'Letter of 2026-10-01' };
    try {
      await runCommand({ store: stores.events, clock: systemClock }, partnerProcess, partnerStream('ITU'), { commandId: 'hand-ITU', actor }, decideRegister(itu, actor, new Date()));
    } finally {
      await closeStores(stores);
    }
  });
  afterAll(() => dir.remove());

  it('reports it as already on the register and exits 0, on the first run and every rerun', () => {
    for (const run of [1, 2]) {
      const loaded = runCli(['partners', 'load-annex-ii', '--as', 'sec-1'], env);
      expect(loaded.status).toBe(0);
      expect(loaded.stdout).toContain('already on the register: ITU');
      expect(lastLine(loaded.stdout)).toBe(run === 1 ? 'partners load-annex-ii: 16 imported, 1 already on the register, 0 refused' : 'partners load-annex-ii: 0 imported, 17 already on the register, 0 refused');
    }
    // ITU counts from its registration by hand: the register at 30 June 2026 holds the 16 others.
    expect(ids(runCli(['partners', 'list', '--at', '2026-06-30T23:59:59Z'], env).stdout)).toEqual(ANNEX_II.filter((id) => id !== 'ITU'));
    expect(runCli(['partners', 'list'], env).stdout).toMatch(/^ITU\s+International Telecommunication Union \(Specialized agency\)/m);
  });
});
