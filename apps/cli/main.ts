import 'reflect-metadata';
import { ConfigError } from '../../libs/config/index.js';
import { anchorCommand } from './commands/anchor.js';
import { dossierCommand } from './commands/dossier.js';
import { ballotsCommand } from './commands/ballots.js';
import { exportCommand } from './commands/export.js';
import { keysCommand } from './commands/keys.js';
import { migrateCommand } from './commands/migrate.js';
import { partnersCommand } from './commands/partners.js';
import { rebuildCommand } from './commands/rebuild.js';
import { replayCommand } from './commands/replay.js';
import { schemaCommand } from './commands/schema.js';
import { serveCommand } from './commands/serve.js';
import { tokenCommand } from './commands/token.js';
import { verifyCommand } from './commands/verify.js';
import { workplansCommand } from './commands/workplans.js';
import { officesCommand } from './commands/offices.js';
import { exitWhenDrained, watchOutput } from './output.js';
import { UsageError } from './usage-error.js';

const COMMANDS: Record<string, { run: (args: string[]) => Promise<number>; summary: string }> = {
  serve: { run: serveCommand, summary: 'start the HTTP API on the configured store' },
  token: { run: tokenCommand, summary: 'print a local bearer token: --sub ID --role ROLE [--org PARTNER] [--name N] [--expires 12h]' },
  verify: { run: verifyCommand, summary: 'check the whole log: hashes, chains, revisions, positions, signatures, machine legality [--anchor A]... [--trust-key FINGERPRINT]... [--bundle F] [--json]' },
  keys: { run: keysCommand, summary: 'the log\'s signing keys: keys list [--json] | generate --out F | rotate --new-key-file F [--reason R] | revoke <keyId> --from-position P --reason R | adopt --reason R' },
  anchor: { run: anchorCommand, summary: 'print the log\'s anchor for the minutes (u4ssc-anchor:<n>:<hex>) [--json]' },
  replay: { run: replayCommand, summary: 'a process as it stood: replay <stream> [--at ISO | --position N] [--json]' },
  export: { run: exportCommand, summary: 'write a bundle to check offline: --out F (- for stdout) [--stream S] [--from ISO] [--to ISO]' },
  rebuild: { run: rebuildCommand, summary: 'drop every read model and snapshot, replay the log from position 0; --check only compares [--json]' },
  schema: { run: schemaCommand, summary: 'as the PostgreSQL schema\'s owner: create or upgrade the engine\'s tables and triggers [--grant ROLE] (the role serve runs as) [--json]' },
  migrate: { run: migrateCommand, summary: 'copy the whole log to another store and verify it there: --from sqlite:<file> --to postgres://… [--to-schema S]' },
  partners: { run: partnersCommand, summary: 'partners list [--at ISO] [--json] | partners load-annex-ii [--file F] [--as ID] (imported as history, from the day each joined)' },
  ballots: { run: ballotsCommand, summary: 'ballots list [--status S] [--json] | ballots show <id> [--json] (with the tally table)' },
  workplans: { run: workplansCommand, summary: 'workplans list | show <cycle> [--at ISO] | open | input | reopen-inputs | compile | review | present | ballot (u4ssc workplans for the options)' },
  offices: { run: officesCommand, summary: 'offices list [--at ISO] | show <seat> | expiries [--within 90d] | import <file.json> | nominate | appoint | renew | resign | end (u4ssc offices for the options)' },
  dossier: { run: dossierCommand, summary: 'a decided ballot\'s dossier, one self-contained HTML file: dossier <ballotId> [--out F] (stdout otherwise)' },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, { summary }]) => `  ${name.padEnd(9)} ${summary}`);
  return `usage: u4ssc <command> [options]\n\n${lines.join('\n')}\n\nConfiguration comes from the environment (U4SSC_STORE, U4SSC_SQLITE_FILE, U4SSC_DATABASE_URL, U4SSC_SIGNING_KEY_FILE, PORT, ...), as for the API.`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`u4ssc: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof UsageError) {
      console.error(`u4ssc ${name}: ${error.message}`);
      return 2;
    }
    console.error(`u4ssc ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

watchOutput();
const code = await main(process.argv.slice(2));
// `serve` keeps running; every other command ends here with its exit code, once its output has drained.
if (code !== -1) await exitWhenDrained(code, process.argv[2] ?? '');
