import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { assertBuilt, runCli, serve } from './support/cli.js';
import { tempDir } from './support/temp-dir.js';

/** An address of this machine that is not loopback: what another machine on the network would connect to. */
const outward = Object.values(networkInterfaces())
  .flat()
  .find((address) => address?.family === 'IPv4' && !address.internal)?.address;

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/health`, { signal: AbortSignal.timeout(5000) })).ok;
  } catch {
    return false;
  }
}

describe('where u4ssc serve listens (U4SSC_HOST)', () => {
  const dir = tempDir();
  const env = { U4SSC_STORE: 'sqlite', U4SSC_SQLITE_FILE: join(dir.path, 'u4ssc.sqlite'), U4SSC_TOKEN_SECRET: '' };

  beforeAll(() => assertBuilt());
  afterAll(() => dir.remove());

  const withOutward = outward ? it : it.skip;

  withOutward('listens on this machine only by default, and on every interface with U4SSC_HOST=0.0.0.0', async () => {
    const local = await serve(env);
    try {
      const port = new URL(local.url).port;
      expect(await answers(`http://127.0.0.1:${port}`)).toBe(true);
      expect(await answers(`http://${outward}:${port}`)).toBe(false);
    } finally {
      await local.stop();
    }
    const open = await serve({ ...env, U4SSC_HOST: '0.0.0.0' });
    try {
      const port = new URL(open.url).port;
      expect(await answers(`http://${outward}:${port}`)).toBe(true);
    } finally {
      await open.stop();
    }
  });

  it('refuses to start the development sign-in where others can reach it', () => {
    const refused = runCli(['serve', '--port', '0'], { ...env, U4SSC_DEV_SIGN_IN: 'on', U4SSC_HOST: '0.0.0.0' });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/U4SSC_DEV_SIGN_IN=on lets anyone who reaches the server sign in as anyone/);
  });
});
