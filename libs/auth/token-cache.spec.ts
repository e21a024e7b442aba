import { describe, expect, it } from '@jest/globals';
import type { AppConfig } from '../config/app-config.js';
import { issueLocalToken } from './local-token.js';
import type { Principal } from './principal.js';
import { cachedTokens, type VerifiedToken } from './token-cache.js';
import { createTokenVerifier, TokenRejectedError } from './token-verifier.js';

const SECRET = 'a-local-secret-that-is-long-enough-0123456789';
const local: AppConfig = { store: 'memory', sqliteFile: '/nonexistent/u4ssc.sqlite', port: 0, tokenSecret: SECRET };
const T0 = Date.parse('2026-06-01T12:00:00.000Z');

/** A verifier that counts its calls and answers from a table (or throws what the table says). */
function counting(answers: Record<string, VerifiedToken | Error>) {
  const calls: string[] = [];
  const verify = async (token: string): Promise<VerifiedToken> => {
    calls.push(token);
    const answer = answers[token];
    if (answer === undefined) throw new TokenRejectedError('unknown token', 'invalid');
    if (answer instanceof Error) throw answer;
    return { principal: { ...answer.principal, roles: [...answer.principal.roles] }, exp: answer.exp };
  };
  return { calls, verify };
}

const person = (id: string): Principal => ({ id, roles: ['partner'], org: 'FAO' });
const expSeconds = (ms: number) => Math.floor(ms / 1000);

describe('cachedTokens', () => {
  it('checks a token once, and answers again from memory until its exp', async () => {
    let now = T0;
    const inner = counting({ a: { principal: person('p-a'), exp: expSeconds(T0 + 10_000) } });
    const verify = cachedTokens(inner.verify, { now: () => now, maxAgeMs: 3_600_000 });
    expect(await verify('a')).toEqual(person('p-a'));
    now = T0 + 9_999;
    expect(await verify('a')).toEqual(person('p-a'));
    expect(inner.calls).toEqual(['a']);
    // At exp the entry is gone: the token is verified again (and the verifier's answer, whatever it is, stands).
    now = T0 + 10_000;
    expect(await verify('a')).toEqual(person('p-a'));
    expect(inner.calls).toEqual(['a', 'a']);
  });

  it('never outlives exp even when verified moments before it, and never keeps a token past maxAgeMs', async () => {
    let now = T0;
    const inner = counting({
      soon: { principal: person('p-soon'), exp: expSeconds(T0) + 1 },
      later: { principal: person('p-later'), exp: expSeconds(T0) + 3600 },
    });
    const verify = cachedTokens(inner.verify, { now: () => now, maxAgeMs: 60_000 });
    await verify('soon');
    await verify('later');
    now = (expSeconds(T0) + 1) * 1000;
    await verify('soon');
    expect(inner.calls).toEqual(['soon', 'later', 'soon']);
    now = T0 + 59_999;
    await verify('later');
    now = T0 + 60_000;
    await verify('later');
    expect(inner.calls).toEqual(['soon', 'later', 'soon', 'later']);
  });

  it('never remembers a failure: a rejected token, or a key set that was unreachable, is checked again', async () => {
    const answers: Record<string, VerifiedToken | Error> = { flaky: new Error('fetch failed') };
    const inner = counting(answers);
    const verify = cachedTokens(inner.verify, { now: () => T0 });
    await expect(verify('forged')).rejects.toBeInstanceOf(TokenRejectedError);
    await expect(verify('forged')).rejects.toBeInstanceOf(TokenRejectedError);
    await expect(verify('flaky')).rejects.toThrow('fetch failed');
    answers.flaky = { principal: person('p-f'), exp: expSeconds(T0) + 60 };
    expect(await verify('flaky')).toEqual(person('p-f'));
    expect(await verify('flaky')).toEqual(person('p-f'));
    expect(inner.calls).toEqual(['forged', 'forged', 'flaky', 'flaky']);
  });

  it('holds at most maxEntries tokens, letting the least recently used go', async () => {
    const answers = Object.fromEntries(['a', 'b', 'c', 'd'].map((t) => [t, { principal: person(t), exp: expSeconds(T0) + 3600 }]));
    const inner = counting(answers);
    const verify = cachedTokens(inner.verify, { now: () => T0, maxEntries: 2 });
    await verify('a');
    await verify('b');
    await verify('a'); // a is now the most recently used: b goes when c comes
    await verify('c');
    expect(inner.calls).toEqual(['a', 'b', 'c']);
    await verify('a');
    await verify('c');
    expect(inner.calls).toEqual(['a', 'b', 'c']);
    await verify('b');
    expect(inner.calls).toEqual(['a', 'b', 'c', 'b']);
    // Two entries at most, whatever the number of distinct tokens.
    for (const token of ['a', 'b', 'c', 'd', 'a', 'b', 'c', 'd']) await verify(token);
    expect(inner.calls.slice(4)).toEqual(['a', 'c', 'd', 'a', 'b', 'c', 'd']);
  });

  it('gives each caller its own principal: a caller changing it changes nothing for the next', async () => {
    const inner = counting({ a: { principal: person('p-a'), exp: expSeconds(T0) + 60 } });
    const verify = cachedTokens(inner.verify, { now: () => T0 });
    const first = await verify('a');
    first.roles.push('secretariat');
    first.id = 'someone-else';
    expect(await verify('a')).toEqual(person('p-a'));
  });
});

describe('createTokenVerifier with its cache', () => {
  it('accepts a cached local token until its exp, then refuses it as expired', async () => {
    let now = T0;
    const verify = createTokenVerifier(local, { now: () => now });
    const token = await issueLocalToken(SECRET, { sub: 'p-1', roles: ['partner'], org: 'FAO' }, { expiresIn: '10m' });
    const { exp } = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number };
    now = exp * 1000 - 1000;
    expect(await verify(token)).toEqual({ id: 'p-1', roles: ['partner'], org: 'FAO' });
    now = exp * 1000 - 1;
    expect(await verify(token)).toEqual({ id: 'p-1', roles: ['partner'], org: 'FAO' });
    now = exp * 1000;
    await expect(verify(token)).rejects.toMatchObject({ name: 'TokenRejectedError', reason: 'expired' });
  });

  it('checks every other string afresh: a token with its signature altered is refused even after the real one', async () => {
    const verify = createTokenVerifier(local);
    const token = await issueLocalToken(SECRET, { sub: 'p-1', roles: ['secretariat'] });
    await verify(token);
    const cut = token.lastIndexOf('.') + 1;
    const altered = `${token.slice(0, cut)}${token[cut] === 'A' ? 'B' : 'A'}${token.slice(cut + 1)}`;
    await expect(verify(altered)).rejects.toBeInstanceOf(TokenRejectedError);
    expect(await verify(token)).toEqual({ id: 'p-1', roles: ['secretariat'] });
  });
});
