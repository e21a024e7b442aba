import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertBuilt, runCli } from './support/cli.js';
import { tempDir } from './support/temp-dir.js';

interface ListedKey {
  keyId: string;
  fingerprint: string;
  trust: string;
  publishedAt: number;
  endorsedBy: string | null;
  revokedFrom?: number;
  reason: string;
}

/** The real CLI on a real SQLite file: the key published at first start, then rotated, revoked and adopted. */
describe('u4ssc keys', () => {
  const dir = tempDir('u4ssc-keys-');
  const file = join(dir.path, 'u4ssc.sqlite');
  const env = { U4SSC_STORE: 'sqlite', U4SSC_SQLITE_FILE: file, U4SSC_TOKEN_SECRET: '' };
  const firstKey = join(dir.path, 'u4ssc-signing-key.pem');
  const secondKey = join(dir.path, 'second.pem');
  const thirdKey = join(dir.path, 'third.pem');
  let partner = 0;

  /** Registers one more Partner through the ordinary command: a write that appends one event. */
  const register = (extra: Record<string, string> = {}) => {
    partner += 1;
    const fixture = join(dir.path, `partner-${partner}.json`);
    writeFileSync(fixture, JSON.stringify({ intentReference: 'test', defaultJoinedOn: '2023-12-31', partners: [{ partnerId: `P${partner}`, name: `Partner ${partner}`, entityType: 'other-un-entity' }] }));
    return runCli(['partners', 'load-annex-ii', '--file', fixture, '--as', 'sec-1'], { ...env, ...extra });
  };
  const keys = (extra: Record<string, string> = {}) => JSON.parse(runCli(['keys', 'list', '--json'], { ...env, ...extra }).stdout) as ListedKey[];
  const verify = (extra: Record<string, string> = {}, flags: string[] = []) => runCli(['verify', '--json', ...flags], { ...env, ...extra });

  beforeAll(() => assertBuilt());
  afterAll(() => dir.remove());

  it('publishes the generated key at first start (genesis), signed by itself, and verify names it', () => {
    expect(register().status).toBe(0);
    expect(statSync(firstKey).mode & 0o777).toBe(0o600);
    const [genesis, ...others] = keys();
    expect(others).toEqual([]);
    expect(genesis).toMatchObject({ trust: 'pinned', publishedAt: 1, endorsedBy: null, reason: 'first start' });
    const text = runCli(['verify'], env);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain(`key ${genesis!.keyId} fingerprint ${genesis!.fingerprint}`);
    expect(text.stdout).toMatch(/signatures: 2 events signed/);
  });

  it('writes a new key file (0600) and never overwrites one', () => {
    const made = runCli(['keys', 'generate', '--out', secondKey], env);
    expect(made.status).toBe(0);
    expect(made.stdout).toMatch(/key ed25519:[0-9a-f]{16}, fingerprint [0-9a-f]{64}/);
    expect(statSync(secondKey).mode & 0o777).toBe(0o600);
    const again = runCli(['keys', 'generate', '--out', secondKey], env);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/exists; a key file is never overwritten/);
  });

  it('rotates: the new key is published endorsed by the current one; the engine then runs and appends on it', () => {
    const rotated = runCli(['keys', 'rotate', '--new-key-file', secondKey, '--reason', 'yearly rotation'], env);
    expect(rotated.stderr).toBe('');
    expect(rotated.status).toBe(0);
    const [first, second] = keys({ U4SSC_SIGNING_KEY_FILE: secondKey });
    expect(second).toMatchObject({ trust: 'pinned', endorsedBy: first!.keyId, reason: 'yearly rotation' });
    // Seen without the new key configured, it is trusted through the endorsement alone.
    expect(keys()[1]).toMatchObject({ keyId: second!.keyId, trust: 'endorsed' });

    expect(register({ U4SSC_SIGNING_KEY_FILE: secondKey }).status).toBe(0);
    const report = JSON.parse(verify({ U4SSC_SIGNING_KEY_FILE: secondKey }).stdout);
    expect(report).toMatchObject({ ok: true, events: 4, signatures: { legacyUnsigned: 0, signed: 4 } });
    // An auditor with no key configured: the genesis key trusted on first use, the second through its endorsement.
    const auditor = JSON.parse(runCli(['verify', '--json'], { U4SSC_STORE: 'sqlite', U4SSC_SQLITE_FILE: file, U4SSC_SIGNING_KEY_FILE: '', U4SSC_SIGNING_KEY: '' }).stdout);
    expect(auditor).toMatchObject({ ok: true, keys: [{ trust: 'pinned' }, { trust: 'endorsed' }] });
  });

  it('revokes the old key from a position: events it signs there after are faults', () => {
    const [old] = keys();
    const head = JSON.parse(verify({ U4SSC_SIGNING_KEY_FILE: secondKey }).stdout).head.position as number;
    const revoked = runCli(['keys', 'revoke', old!.keyId, '--from-position', String(head + 1), '--reason', 'retired'], { ...env, U4SSC_SIGNING_KEY_FILE: secondKey });
    expect(revoked.status).toBe(0);
    expect(keys({ U4SSC_SIGNING_KEY_FILE: secondKey })[0]).toMatchObject({ revokedFrom: head + 1 });
    expect(verify({ U4SSC_SIGNING_KEY_FILE: secondKey }).status).toBe(0);
    // The old key can no longer start the engine.
    const refused = register();
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`signing key ${old!.keyId} is revoked from position ${head + 1}`));
  });

  it('refuses an unknown key, the key it signs with, a position that is not a number, a reason missing', () => {
    const onSecond = { ...env, U4SSC_SIGNING_KEY_FILE: secondKey };
    const second = keys(onSecond)[1]!;
    const unknown = runCli(['keys', 'revoke', 'ed25519:0000000000000000', '--from-position', '5', '--reason', 'x'], onSecond);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/no key ed25519:0000000000000000 is published in this log/);
    const own = runCli(['keys', 'revoke', second.keyId, '--from-position', '5', '--reason', 'x'], onSecond);
    expect(own.status).toBe(1);
    expect(own.stderr).toMatch(/is the key this engine signs with.*Publish a replacement/);
    const notANumber = runCli(['keys', 'revoke', second.keyId, '--from-position', 'soon', '--reason', 'x'], onSecond);
    expect(notANumber.status).toBe(2);
    expect(notANumber.stderr).toMatch(/--from-position must be a log position/);
    expect(runCli(['keys', 'revoke', second.keyId, '--from-position', '5'], onSecond).stderr).toMatch(/--reason is required/);
    expect(keys(onSecond)).toHaveLength(2);
  });

  it('refuses to start on a key the log does not hold, saying what to do; adopt publishes it, trusted only when pinned', () => {
    expect(runCli(['keys', 'generate', '--out', thirdKey], env).status).toBe(0);
    const onThird = { U4SSC_SIGNING_KEY_FILE: thirdKey };
    const refused = register(onThird);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/is not published in this log.*u4ssc keys rotate --new-key-file.*u4ssc keys adopt/);

    const adopted = runCli(['keys', 'adopt', '--reason', 'the second key was lost'], { ...env, ...onThird });
    expect(adopted.status).toBe(0);
    const third = keys(onThird)[2]!;
    expect(third).toMatchObject({ trust: 'pinned', endorsedBy: null, reason: 'the second key was lost' });
    expect(register(onThird).status).toBe(0);

    // The operator's configuration pins its own key; an auditor without it sees an unendorsed key until pinning it.
    expect(verify(onThird).status).toBe(0);
    const unpinned = runCli(['verify', '--json'], { U4SSC_STORE: 'sqlite', U4SSC_SQLITE_FILE: file, U4SSC_SIGNING_KEY_FILE: secondKey });
    expect(unpinned.status).toBe(1);
    expect(JSON.parse(unpinned.stdout).fault).toMatchObject({ kind: 'signature', stream: 'signing-keys', position: third.publishedAt });
    const pinned = runCli(['verify', '--json', '--trust-key', third.fingerprint], { U4SSC_STORE: 'sqlite', U4SSC_SQLITE_FILE: file, U4SSC_SIGNING_KEY_FILE: secondKey });
    expect(pinned.status).toBe(0);
    expect(runCli(['verify', '--trust-key', 'nope'], env).status).toBe(2);
  });
});
