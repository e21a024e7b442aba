// A writer process for test/sqlite-writers.spec.ts. For each line "<run> <file>" on stdin (all writers get it at
// once) it opens the stores on that SQLite file as `u4ssc` does (loadConfig, openStores; the busy timeout comes
// from U4SSC_SQLITE_BUSY_TIMEOUT_MS), registers `count` Partners through the real runner, all at once, closes the
// stores and prints one JSON line: the ids of the events acknowledged to the caller, the errors that reached it,
// and how many appends the store refused as busy (each one retried by the runner, or reported as an error).
import { createInterface } from 'node:readline';
import { loadConfig } from '../../dist/libs/config/index.js';
import { closeStores, openStores } from '../../dist/libs/engine/open-stores.js';
import { StoreBusyError } from '../../dist/libs/event-store/errors.js';
import { systemClock } from '../../dist/libs/kernel/clock.js';
import { decideRegister } from '../../dist/libs/partners/partner.decide.js';
import { partnerProcess, partnerStream } from '../../dist/libs/partners/partner.process.js';
import { runCommand } from '../../dist/libs/process-runner/run-command.js';

const [writer, count] = process.argv.slice(2);
const actor = { id: 'sec-1', role: 'secretariat' };

async function writeRun(run, file) {
  const stores = await openStores(loadConfig({ ...process.env, U4SSC_STORE: 'sqlite', U4SSC_SQLITE_FILE: file }));
  let busy = 0;
  const append = stores.events.append.bind(stores.events);
  stores.events.append = async (...args) => {
    try {
      return await append(...args);
    } catch (error) {
      if (error instanceof StoreBusyError) busy += 1;
      throw error;
    }
  };
  const acknowledged = [];
  const errors = [];
  await Promise.all(
    Array.from({ length: Number(count) }, async (_, index) => {
      const partnerId = `R${run}-W${writer}-${index}`;
      try {
        const outcome = await runCommand(
          { store: stores.events, clock: systemClock },
          partnerProcess,
          partnerStream(partnerId),
          { commandId: `register-${partnerId}`, actor },
          decideRegister({ partnerId, name: `Entity ${partnerId}`, entityType: 'specialized-agency', intentReference: 'test' }, actor, new Date()),
        );
        acknowledged.push(...outcome.events.map((event) => event.id));
      } catch (error) {
        errors.push(`${error?.name}: ${error?.message}`);
      }
    }),
  );
  await closeStores(stores);
  return { acknowledged, errors, busy };
}

process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) {
  const [run, file] = line.split(' ');
  let result;
  try {
    result = await writeRun(run, file);
  } catch (error) {
    result = { acknowledged: [], errors: [`opening: ${error?.name}: ${error?.code}: ${error?.message}: ${error?.stack}`], busy: 0 };
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
