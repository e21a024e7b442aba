import { writeFileSync } from 'node:fs';
import { BallotNotDecidedError, buildBallotDossier, renderBallotDossier } from '../../../libs/audit/dossier/index.js';
import { loadConfig } from '../../../libs/config/index.js';
import { closeStores, openStores } from '../../../libs/engine/index.js';
import { NotFoundError } from '../../../libs/errors/index.js';
import { systemClock } from '../../../libs/kernel/clock.js';
import { parse } from '../parse.js';
import { UsageError } from '../usage-error.js';

const USAGE = 'dossier takes <ballotId> [--out file.html]';

/**
 * Writes a decided ballot's dossier (one self-contained HTML file) to --out or to stdout. Exit 0 when it is
 * written and everything in it checks; 1 when it is written but records a fault (the recount does not match, the
 * ballot's chain or the log does not verify), as `verify` does; 1 with no file for an unknown or undecided ballot.
 */
export async function dossierCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { out: { type: 'string' } }, true);
  if (positionals.length !== 1 || values.out === '') throw new UsageError(USAGE);
  const stores = await openStores(loadConfig(), { readOnly: true });
  try {
    const dossier = await buildBallotDossier(stores.events, positionals[0]!, { now: systemClock.now() });
    const page = renderBallotDossier(dossier);
    if (values.out) writeFileSync(values.out, page, 'utf8');
    else await new Promise<void>((resolve, reject) => process.stdout.write(page, (error) => (error ? reject(error) : resolve())));
    const faults = [
      !dossier.recount.matches && 'the recount DOES NOT MATCH the recorded outcome',
      !dossier.chain.ok && 'the ballot’s chain DOES NOT VERIFY',
      !dossier.log.ok && 'the log DOES NOT VERIFY',
    ].filter((fault): fault is string => typeof fault === 'string');
    const where = values.out ? `written to ${values.out}` : 'written to stdout';
    console.error(
      `dossier: ballot ${dossier.ballotId} (${dossier.decided?.data.outcome ?? dossier.state}, ${dossier.votes.length} vote events) ${where}` +
        (faults.length ? `; ${faults.join('; ')}` : `; recount matches; chain verifies; decision anchor ${dossier.decisionAnchor}`),
    );
    return faults.length ? 1 : 0;
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof BallotNotDecidedError) {
      console.error(`u4ssc dossier: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await closeStores(stores);
  }
}
