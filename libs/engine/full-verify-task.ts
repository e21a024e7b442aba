import { trustedVerifyRecords, verifyWithCheckpoints, type CheckedAuditReport } from '../audit/index.js';
import type { EventStore } from '../event-store/index.js';
import type { Clock } from '../kernel/clock.js';
import type { ReadModelStore } from '../read-models/port.js';
import type { SigningKey } from '../signing/index.js';
import type { LeaderTask } from './leader-tasks.js';
import { PollingLoop } from './polling-loop.js';

/** Unset U4SSC_FULL_VERIFY_EVERY: the whole log is verified once a day. */
export const DEFAULT_FULL_VERIFY_EVERY_MS = 24 * 3_600_000;
/** How often the loop asks whether a full run is due: it reads one document, and runs one only when due. */
const LOOK_EVERY_MS = 60_000;

export interface FullVerifySettings {
  events: EventStore;
  readModels: ReadModelStore;
  signingKey?: SigningKey;
  clock: Clock;
  everyMs: number;
}

/**
 * The scheduled full verification (docs/integrity.md, "Verified checkpoints"): incremental runs vouch only for the
 * events after their checkpoint, so a change made before it is found only by a full run. Due when the last full
 * run recorded (and trusted) is older than the interval; with none recorded, one interval after this process began to lead, so
 * starting many instances (or tests) runs no walk of the whole log at once. Its result is recorded, fault or not.
 */
export class FullVerifyTask {
  private leadingSince = 0;

  constructor(private readonly settings: FullVerifySettings) {}

  /** Runs a full verification when one is due; the report when it ran, null otherwise. */
  async runIfDue(): Promise<CheckedAuditReport | null> {
    const { events, readModels, signingKey, clock, everyMs } = this.settings;
    const now = clock.now().getTime();
    const trustKeys = signingKey ? [signingKey.keyId] : [];
    // An edited record (a later time, to put the next run off) is not trusted: it counts as none.
    const { lastFull } = await trustedVerifyRecords(events, readModels, trustKeys);
    const since = lastFull ? Date.parse(lastFull.at) : this.leadingSince;
    if (!(now - since >= everyMs)) return null;
    return verifyWithCheckpoints(events, readModels, {
      incremental: false,
      ...(signingKey && { signingKey }),
      trustKeys,
      now: () => clock.now(),
    });
  }

  /** As background work for the leading process only; none when the interval is 0. */
  leaderTask(onError: (error: unknown) => void): LeaderTask | null {
    if (this.settings.everyMs <= 0) return null;
    const loop = new PollingLoop(() => this.runIfDue(), Math.min(LOOK_EVERY_MS, this.settings.everyMs), onError);
    return {
      name: 'full-verify',
      start: () => {
        this.leadingSince = this.settings.clock.now().getTime();
        loop.start();
      },
      stop: () => loop.stop(),
    };
  }
}
