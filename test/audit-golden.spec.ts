import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assign, initialTransition, transition, type AnyMachineSnapshot } from 'xstate';
import { machineLegality, PROCESS_REGISTRY, processRegistry } from '../libs/audit/index.js';
import { machineEventOf } from '../libs/process-runner/index.js';
import { verifyLog } from '../libs/envelope/index.js';
import { KeyRing, SIGNING_KEYS_STREAM } from '../libs/signing/index.js';
import { partnerProcess } from '../libs/partners/partner.process.js';
import { partnerMachine } from '../state-machines/partner/partner.machine.js';
import { parseGolden, replayGolden } from './golden/golden-log.js';
import { BALLOT_GOLDEN, recordBallotGolden } from './golden/record-ballot-golden.js';
import { PARTNER_GOLDEN, recordPartnerGolden } from './golden/record-partner-golden.js';

/** Every recorder, by the golden log it writes. */
const RECORDERS: [string, () => Promise<string>][] = [
  [PARTNER_GOLDEN, recordPartnerGolden],
  [BALLOT_GOLDEN, recordBallotGolden],
];

const GOLDEN_DIR = join(process.cwd(), 'test', 'golden');

/**
 * Old history read with today's machines (issue 6): every golden log, recorded by a real run, must replay to the
 * recorded states. A machine change that would reinterpret a past decision fails here unless it comes as a new
 * machine version (old streams stay pinned to theirs). To record a new golden log: U4SSC_GOLDEN_WRITE=1 writes
 * the ones missing; existing ones are never rewritten.
 */
describe('golden logs replayed through the current machines', () => {
  it.each(RECORDERS)('has the %s log (U4SSC_GOLDEN_WRITE=1 records it when missing, never over an old one)', async (name, record) => {
    const file = join(GOLDEN_DIR, `${name}.jsonl`);
    if (process.env.U4SSC_GOLDEN_WRITE === '1' && !existsSync(file)) writeFileSync(file, await record());
    expect(existsSync(file)).toBe(true);
  });

  const files = readdirSync(GOLDEN_DIR).filter((name) => name.endsWith('.jsonl'));

  it.each(files)('%s is intact: chains, and every event legal under its pinned machine version', async (name) => {
    const log = parseGolden(readFileSync(join(GOLDEN_DIR, name), 'utf8'));
    expect(log.entries.length).toBeGreaterThan(0);
    const legality = machineLegality();
    const events = log.entries.map((entry) => entry.event);
    // Recorded before events were signed: every event is legacy under the signature check, and still verifies.
    const signatures = KeyRing.build(events.filter((event) => event.stream === SIGNING_KEYS_STREAM));
    expect(await verifyLog(events, { legality: legality.check, signatures })).toMatchObject({ ok: true, fault: null });
  });

  it.each(files)('%s replays to the recorded state after every event', (name) => {
    const log = parseGolden(readFileSync(join(GOLDEN_DIR, name), 'utf8'));
    expect(replayGolden(log)).toEqual([]);
  });

  it.each(files)('%s: at every event, XState returns the same snapshot exactly when `can` refuses (what verify relies on)', (name) => {
    const log = parseGolden(readFileSync(join(GOLDEN_DIR, name), 'utf8'));
    const snapshots = new Map<string, AnyMachineSnapshot>();
    const types = [...new Set(log.entries.map((entry) => entry.event.type)), 'NoSuchEvent'];
    for (const { event } of log.entries) {
      const definition = PROCESS_REGISTRY.get(event.metadata.machine.id)!;
      const machine = definition.versions[event.metadata.machine.version]!;
      const snapshot = snapshots.get(event.stream) ?? initialTransition(machine, definition.input(event.stream))[0];
      for (const type of types) {
        const probe = machineEventOf({ ...event, type });
        expect([event.id, type, transition(machine, snapshot, probe)[0] === snapshot]).toEqual([event.id, type, !snapshot.can(probe)]);
      }
      snapshots.set(event.stream, transition(machine, snapshot, machineEventOf(event))[0]);
    }
  });

  it('fails, naming the event, when a machine reinterprets history in place', () => {
    const log = parseGolden(readFileSync(join(GOLDEN_DIR, `${PARTNER_GOLDEN}.jsonl`), 'utf8'));
    // "Withdrawal no longer closes the membership period": a reading that would change who was a Partner when.
    const reinterpreted = partnerMachine.provide({ actions: { closePeriod: assign({}) } });
    const registry = processRegistry([{ ...partnerProcess, versions: { 1: reinterpreted } }]);
    const mismatches = replayGolden(log, registry);
    const withdrawals = log.entries.filter((entry) => entry.event.type === 'PartnerWithdrawn');
    expect(mismatches.map((m) => m.eventId)).toEqual(expect.arrayContaining(withdrawals.map((entry) => entry.event.id)));
    expect(mismatches[0]!.why).toMatch(/^context is now/);
    const gone = replayGolden(log, processRegistry([]));
    expect(gone[0]!.why).toMatch(/machine partner v1 is gone/);
  });

  it.each(RECORDERS)('records %s byte for byte the same on every run (fixed clock and command ids)', async (_name, record) => {
    const [first, second] = [await record(), await record()];
    expect(second).toBe(first);
  });
});
