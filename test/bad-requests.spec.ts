import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startApi, type ApiHarness } from './support/api-harness.js';
import { tempDir } from './support/temp-dir.js';

type Method = 'post' | 'put' | 'patch' | 'delete';
const MUTATING: readonly string[] = ['post', 'put', 'patch', 'delete'];

interface Schema {
  $ref?: string;
  type?: string;
  items?: Schema;
  properties?: Record<string, Schema>;
}
interface Operation {
  method: Method;
  path: string;
  body: Schema | undefined;
}
interface Sent {
  label: string;
  body: string;
  /** The status expected: 400, or 413 for the oversize body. */
  status?: number;
  /** A field the problem's `errors` must name. */
  field?: string;
  detail?: RegExp;
}

/** A string field of a body: its path as the problem names it, its own name, and a body holding a value there. */
interface BodyField {
  path: string;
  name: string;
  wrap: (value: unknown) => Record<string, unknown>;
}

const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];
const BAD_TEXT: Record<string, string> = {
  'a NUL': 'Food\u0000Agency',
  'an escape character': 'Food\u001b[31mAgency',
  'a lone surrogate': 'Food \ud800 Agency',
  'a right-to-left override': 'Food\u202Eycnega',
  'a whitespace-only value': '   ',
  'a zero-width-only value': '\u200B\u200D\uFEFF',
};
const TRAVERSAL = '../../../../etc/passwd';
/** Fields holding ids, by name: ids follow the safe id pattern of libs/http/text-policy.ts. */
const isIdField = (name: string) => /Id$|^reference$|^taken$/.test(name);

/** Path parameters get plausible values, so that only the body is wrong. */
const concrete = (path: string) =>
  path.replace(/\{(\w+)\}/g, (_, name: string) => ({ ballotId: 'b-1', office: 'chair', partnerId: 'FAO', cycle: '2027' })[name] ?? 'x');

/**
 * Every bad request gets a clear 4xx problem+json and changes nothing (docs/architecture.md §4). The command routes
 * and their bodies come from the OpenAPI document the API serves, so a route added later is covered without
 * touching this file.
 */
describe('bad requests to every command route (from /docs-json) are refused and append nothing', () => {
  const dir = tempDir();
  let api: ApiHarness;
  let everyone: string;
  let operations: Operation[];
  let schemas: Record<string, Schema>;
  let sequence = 0;

  const resolve = (schema: Schema | undefined): Schema | undefined =>
    schema?.$ref ? schemas[schema.$ref.replace('#/components/schemas/', '')] : schema;

  beforeAll(async () => {
    api = await startApi({ dir: dir.path });
    // Every role, so that no guard answers before the body is read.
    everyone = `Bearer ${await api.token('p-everyone', ['secretariat', 'partner', 'participant'], { org: 'FAO', name: 'Everyone' })}`;
    const docs = (await request(api.server).get('/docs-json').expect(200)).body;
    schemas = docs.components?.schemas ?? {};
    operations = Object.entries(docs.paths as Record<string, Record<string, { requestBody?: { content?: Record<string, { schema: Schema }> } }>>).flatMap(
      ([path, methods]) =>
        Object.entries(methods)
          .filter(([method]) => MUTATING.includes(method))
          .map(([method, operation]) => ({ method: method as Method, path, body: operation.requestBody?.content?.['application/json']?.schema })),
    );
  });
  afterAll(async () => {
    await api?.close();
    dir.remove();
  });

  /** Sends each request; returns one line per answer that is not the refusal expected. */
  async function refusals(operation: Operation, sent: Sent[]): Promise<string[]> {
    const wrong: string[] = [];
    for (const { label, body, status = 400, field, detail } of sent) {
      const head = await api.stores.events.headPosition();
      const response = await request(api.server)
        [operation.method](concrete(operation.path))
        .set('Authorization', everyone)
        .set('Idempotency-Key', `bad-request-${++sequence}`)
        .set('Content-Type', 'application/json')
        .send(body);
      const problems = [
        response.status !== status && `status ${response.status}`,
        !/^application\/problem\+json/.test(response.headers['content-type'] ?? '') && `content-type ${response.headers['content-type']}`,
        !(typeof response.body?.detail === 'string' && response.body.detail.length > 0) && 'no detail',
        field !== undefined && !(response.body?.errors ?? []).some((error: { field: string }) => error.field === field) && `errors do not name ${field}`,
        detail !== undefined && !detail.test(response.body?.detail ?? '') && `detail ${JSON.stringify(response.body?.detail)}`,
        (await api.stores.events.headPosition()) !== head && 'the log grew',
      ].filter(Boolean);
      if (problems.length > 0) wrong.push(`${operation.method} ${operation.path} ${label}: ${problems.join(', ')} ${JSON.stringify(response.body).slice(0, 200)}`);
    }
    return wrong;
  }

  /** The string fields of a body, top level and one level into nested objects and lists of objects, as body paths. */
  function stringFields(schema: Schema | undefined): BodyField[] {
    const properties = resolve(schema)?.properties ?? {};
    return Object.entries(properties).flatMap(([name, property]): BodyField[] => {
      if (property.type === 'string') return [{ path: name, name, wrap: (value: unknown) => ({ [name]: value }) }];
      if (property.type === 'array' && property.items?.type === 'string') {
        // class-validator names a list of strings as a whole when one of its items is refused.
        return [{ path: name, name, wrap: (value: unknown) => ({ [name]: [value] }) }];
      }
      const nested = property.type === 'array' ? property.items : property;
      const inner = resolve(nested)?.properties;
      if (!inner) return [];
      return Object.entries(inner)
        .filter(([, child]) => child.type === 'string')
        .map(([child]) =>
          property.type === 'array'
            ? { path: `${name}[0].${child}`, name: child, wrap: (value: unknown) => ({ [name]: [{ [child]: value }] }) }
            : { path: `${name}.${child}`, name: child, wrap: (value: unknown) => ({ [name]: { [child]: value } }) },
        );
    });
  }

  it('finds the command routes and their bodies in the OpenAPI document', () => {
    const routes = operations.map((op) => `${op.method} ${op.path}`);
    expect(routes).toEqual(expect.arrayContaining(['post /v1/partners', 'post /v1/ballots', 'post /v1/offices/{office}/appointments', 'post /v1/workplans/{cycle}/compile']));
    expect(operations.filter((op) => stringFields(op.body).length > 0).length).toBeGreaterThan(10);
  });

  it('refuses a body nested 2,000 levels deep with 400 naming the limit, on every command route', async () => {
    const deep = `{"x":${'['.repeat(2000)}${']'.repeat(2000)}}`;
    const wrong = (await Promise.all(operations.map((op) => refusals(op, [{ label: 'deep', body: deep, detail: /limit is 32 levels/ }])))).flat();
    expect(wrong).toEqual([]);
  });

  it('refuses a body over the size limit with 413 naming the limit, on every command route', async () => {
    const big = JSON.stringify({ x: 'x'.repeat(200_000) });
    const wrong = [];
    for (const op of operations) wrong.push(...(await refusals(op, [{ label: 'oversize', body: big, status: 413, detail: /limit of 102,400 bytes \(100 kB\)|limit is 102,400 bytes/ }])));
    expect(wrong).toEqual([]);
  });

  it('refuses each prototype-ish field name, at the top and nested, naming it, on every command route', async () => {
    const wrong: string[] = [];
    for (const op of operations) {
      const nestedObject = Object.entries(resolve(op.body)?.properties ?? {}).find(([, property]) => property.$ref !== undefined)?.[0];
      const sent = PROTOTYPE_NAMES.flatMap((name): Sent[] => [
        { label: `field ${name}`, body: `{"${name}":{"admin":true}}`, field: name },
        ...(nestedObject ? [{ label: `field ${nestedObject}.${name}`, body: `{"${nestedObject}":{"${name}":{"admin":true}}}`, field: `${nestedObject}.${name}` }] : []),
      ]);
      wrong.push(...(await refusals(op, sent)));
    }
    expect(wrong).toEqual([]);
  });

  it('refuses control characters, lone surrogates, bidi overrides and blank text in every string field, naming it', async () => {
    const wrong: string[] = [];
    for (const op of operations) {
      for (const field of stringFields(op.body)) {
        const sent = Object.entries(BAD_TEXT).map(([label, value]) => ({ label: `${field.path} with ${label}`, body: JSON.stringify(field.wrap(value)), field: field.path }));
        wrong.push(...(await refusals(op, sent)));
      }
    }
    expect(wrong).toEqual([]);
  });

  it('refuses a path-traversal id in every id field, naming it', async () => {
    const wrong: string[] = [];
    let idFields = 0;
    for (const op of operations) {
      for (const field of stringFields(op.body).filter((candidate) => isIdField(candidate.name))) {
        idFields++;
        wrong.push(...(await refusals(op, [{ label: `${field.path} = ${TRAVERSAL}`, body: JSON.stringify(field.wrap(TRAVERSAL)), field: field.path }])));
      }
    }
    expect(wrong).toEqual([]);
    expect(idFields).toBeGreaterThan(5);
  });
});
