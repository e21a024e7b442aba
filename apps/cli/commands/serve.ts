import { DEFAULT_HOST, isLoopback, loadConfig } from '../../../libs/config/index.js';
import { openStores } from '../../../libs/engine/index.js';
import { createApi } from '../../api/create-api.js';
import { parse } from '../parse.js';

/** Starts the API; never returns a code (-1): the process lives until it is signalled. */
export async function serveCommand(args: string[]): Promise<number> {
  const { values } = parse(args, { port: { type: 'string' } });
  const config = loadConfig(values.port ? { ...process.env, PORT: values.port } : process.env);
  const stores = await openStores(config);
  const app = await createApi({ config, stores });
  const host = config.host ?? DEFAULT_HOST;
  await app.listen(config.port, host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const where = config.store === 'sqlite' ? `sqlite file ${config.sqliteFile}` : `${config.store} store`;
  console.log(`U4SSC governance engine listening on http://localhost:${port} (${where})`);
  console.log(`  web:       http://localhost:${port}/${config.devSignIn ? '   (development sign-in on: anyone reaching this port can act as anyone)' : ''}`);
  console.log(`  API docs:  http://localhost:${port}/docs`);
  console.log(
    isLoopback(host)
      ? `  reachable: from this machine only (${host}); set U4SSC_HOST=0.0.0.0 to listen on every interface`
      : `  reachable: on ${host}, from the network`,
  );
  if (stores.signingKey) console.log(`  signing:   key ${stores.signingKey.keyId}, fingerprint ${stores.signingKey.info.fingerprint} (u4ssc keys list)`);
  if (!config.jwksUrl) {
    console.log('  a token:   npx u4ssc token --sub YOUR-ID --role secretariat   (roles: secretariat, partner --org ID, participant, auditor)');
  }
  return -1;
}
