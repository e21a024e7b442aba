import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Body, Controller, Get, HttpCode, Module, NotFoundException, Param, Post, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Type } from 'class-transformer';
import { IsArray, IsEmail, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { authProviders } from '../auth/auth-providers.js';
import { CurrentPrincipal, Public } from '../auth/decorators.js';
import { issueLocalToken } from '../auth/local-token.js';
import type { Principal } from '../auth/principal.js';
import type { AppConfig } from '../config/app-config.js';
import {
  CommandRejectedError,
  ConflictError,
  IntegrityError,
  ForbiddenCommandError,
  InvalidCommandError,
  NotFoundError,
  StoreUnavailableError,
} from '../errors/domain-errors.js';
import { ConcurrencyError, StoreBusyError } from '../event-store/errors.js';
import { derivedId } from '../kernel/ids.js';
import { APP_CONFIG, READ_MODEL_STORE } from '../kernel/tokens.js';
import { CommandId } from './command-id.decorator.js';
import { configureHttpApp } from './configure-http-app.js';
import { httpProviders } from './http-providers.js';
import { IdempotencyStore } from './idempotency-store.spec-helper.js';

const SECRET = 'the-http-spec-secret-0123456789abcdefgh';
const config: AppConfig = { store: 'memory', sqliteFile: '/nonexistent/u4ssc.sqlite', port: 0, tokenSecret: SECRET };

class ContactDto {
  @IsEmail()
  email: string;

  @IsOptional()
  @IsString()
  phone?: string;
}

class MemberDto {
  @IsString()
  @IsNotEmpty()
  org: string;
}

class CreateThingDto {
  @IsString()
  @IsNotEmpty()
  name: string;

  @IsInt()
  @Min(1)
  count: number;

  @IsObject()
  @ValidateNested()
  @Type(() => ContactDto)
  contact: ContactDto;

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => MemberDto)
  members?: MemberDto[];
}

const calls: Record<string, number> = {};
const count = (name: string) => (calls[name] = (calls[name] ?? 0) + 1);

@Controller('things')
class ThingsController {
  @Post()
  create(@Body() body: CreateThingDto, @CurrentPrincipal() principal: Principal, @CommandId() commandId: string) {
    return { call: count('create'), name: body.name, isDto: body instanceof CreateThingDto, by: principal.id, commandId };
  }

  @Post('accepted')
  @HttpCode(202)
  accepted(@CommandId() commandId: string) {
    return { call: count('accepted'), commandId };
  }

  @Post('refuse')
  refuse() {
    count('refuse');
    throw new CommandRejectedError('The ballot is closed; votes are no longer taken', 'closed', ['ToR ¶13(b)']);
  }

  @Post('fail/:kind')
  fail(@Param('kind') kind: string) {
    switch (kind) {
      case 'invalid':
        throw new InvalidCommandError('WFP-X is not a UN-system entity', { clauses: ['ToR ¶12'], partnerId: 'WFP-X' });
      case 'forbidden':
        throw new ForbiddenCommandError('only the Chair may frame the agenda', { clauses: ['ToR ¶16(a)'] });
      case 'not-found':
        throw new NotFoundError('no ballot "b-9"', { stream: 'ballot-b-9' });
      case 'rejected':
        throw new CommandRejectedError('the workplan is not compiled yet', 'collecting', ['ToR ¶10(b)'], { stream: 'workplan-2026', status: 999 });
      case 'conflict':
        throw new ConflictError('the ballot kept changing under this command');
      case 'integrity':
        throw new IntegrityError('the event at revision 3 of stream "ballot-b-1" (position 0) fails its integrity check; run `u4ssc verify`', { stream: 'ballot-b-1', revision: 3, position: 0 });
      case 'concurrency':
        throw new ConcurrencyError('ballot-b-1', 4, 5);
      case 'unavailable':
        throw new StoreUnavailableError('the store stayed busy through 20 attempts; retry', { stream: 'ballot-b-1' });
      case 'busy':
        throw new StoreBusyError('ballot-b-1', 'SQLITE_BUSY');
      case 'http-not-found':
        throw new NotFoundException('no Partner "XYZ" is in the register');
      default:
        throw new Error(`database password=hunter2 refused: ${kind}`);
    }
  }

  @Get('commands/id')
  commandIdOfRead(@CommandId() commandId: string) {
    return { commandId };
  }

  @Public()
  @Post('public')
  open(@CommandId() commandId: string) {
    return { call: count('public'), commandId };
  }
}

@Module({
  controllers: [ThingsController],
  providers: [
    { provide: APP_CONFIG, useValue: config },
    { provide: READ_MODEL_STORE, useClass: IdempotencyStore },
    ...authProviders(),
    ...httpProviders(),
  ],
})
class TestModule {}

const logged: string[] = [];
const logger: LoggerService = {
  log: () => undefined,
  warn: (message: unknown) => logged.push(String(message)),
  error: (message: unknown, ...rest: unknown[]) => logged.push([message, ...rest].map(String).join(' ')),
};

let app: NestExpressApplication;
let alice: string;
let bob: string;

beforeAll(async () => {
  app = await NestFactory.create<NestExpressApplication>(TestModule, { bodyParser: false, logger });
  configureHttpApp(app, { bodyLimit: '2kb' });
  await app.init();
  alice = `Bearer ${await issueLocalToken(SECRET, { sub: 'alice', roles: ['secretariat'] })}`;
  bob = `Bearer ${await issueLocalToken(SECRET, { sub: 'bob', roles: ['partner'] })}`;
});
afterAll(async () => {
  await app.close();
});

const valid = { name: 'Thing', count: 2, contact: { email: 'ada@example.org' } };
const post = (path: string, auth = alice) => request(app.getHttpServer()).post(path).set('Authorization', auth);

/** A body sent in chunks, without Content-Length, over a real connection. */
async function chunkedPost(path: string, body: string): Promise<{ status: number; contentType: string | undefined; body: string }> {
  const server = app.getHttpServer();
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({ host: '127.0.0.1', port, method: 'POST', path, headers: { 'Content-Type': 'application/json', Authorization: alice } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, contentType: response.headers['content-type'], body: text }));
    });
    outgoing.on('error', reject);
    outgoing.write(body.slice(0, 100));
    outgoing.end(body.slice(100));
  });
}

function expectProblem(response: request.Response, status: number, type: string, instance: string) {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toBe('application/problem+json');
  expect(response.body.type).toBe(type.startsWith('about:') ? type : `https://u4ssc.example/problems/${type}`);
  expect(response.body.status).toBe(status);
  expect(typeof response.body.title).toBe('string');
  expect(response.body.title.length).toBeGreaterThan(0);
  expect(typeof response.body.detail).toBe('string');
  expect(response.body.detail.length).toBeGreaterThan(0);
  expect(response.body.instance).toBe(instance);
}

describe('request bodies', () => {
  it('accepts a valid body and hands the handler its DTO', async () => {
    const response = await post('/things').send(valid);
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ name: 'Thing', isDto: true, by: 'alice' });
  });

  it('answers 400 to malformed JSON, saying the body is not JSON', async () => {
    const response = await post('/things').set('Content-Type', 'application/json').send('{"name": "Thing",');
    expectProblem(response, 400, 'malformed-json', '/things');
    expect(response.body.detail).toMatch(/^The request body is not valid JSON \(.+\)\.$/);
  });

  it('lists every missing field', async () => {
    const response = await post('/things').send({});
    expectProblem(response, 400, 'invalid-request', '/things');
    expect(response.body.detail).toBe('The request has 3 invalid fields: name, count, contact.');
    expect(response.body.errors).toEqual([
      { field: 'name', messages: ['name should not be empty', 'name must be a string'] },
      { field: 'count', messages: ['count must not be less than 1', 'count must be an integer number'] },
      { field: 'contact', messages: ['contact must be an object'] },
    ]);
  });

  it('names wrong types by their full path, nested and in lists', async () => {
    const response = await post('/things').send({
      name: 7,
      count: 'two',
      contact: { email: 'not-an-email', phone: 5 },
      members: [{ org: 'FAO' }, { org: '' }],
    });
    expectProblem(response, 400, 'invalid-request', '/things');
    expect(response.body.errors).toEqual([
      { field: 'name', messages: ['name must be a string'] },
      { field: 'count', messages: ['count must not be less than 1', 'count must be an integer number'] },
      { field: 'contact.email', messages: ['contact.email must be an email'] },
      { field: 'contact.phone', messages: ['contact.phone must be a string'] },
      { field: 'members[1].org', messages: ['members[1].org should not be empty'] },
    ]);
  });

  it('refuses unknown fields, naming them as such, at any depth', async () => {
    const response = await post('/things').send({ ...valid, colour: 'red', contact: { email: 'ada@example.org', fax: '1' } });
    expectProblem(response, 400, 'invalid-request', '/things');
    expect(response.body.errors).toEqual([
      { field: 'colour', messages: ['colour is an unknown field: remove it'] },
      { field: 'contact.fax', messages: ['contact.fax is an unknown field: remove it'] },
    ]);
  });

  it.each([
    ['[1,2]', 'the request body must be a JSON object, not an array'],
    ['null', 'the request body must be a JSON object, not null'],
    ['"text"', 'the request body must be a JSON object, not a string'],
    ['42', 'the request body must be a JSON object, not a number'],
  ])('refuses the JSON body %s: it is not an object', async (body, message) => {
    const response = await post('/things').set('Content-Type', 'application/json').send(body);
    expectProblem(response, 400, 'invalid-request', '/things');
    expect(response.body.errors).toEqual([{ field: '(body)', messages: [message] }]);
  });

  it('refuses a missing body where the route takes one', async () => {
    const response = await post('/things');
    expectProblem(response, 400, 'invalid-request', '/things');
    expect(response.body.errors).toEqual([{ field: '(body)', messages: ['the request body is missing: send a JSON object'] }]);
    expect(response.body.detail).toBe('The request body is missing: send a JSON object.');
  });

  it('answers 413 to a body over the limit', async () => {
    const response = await post('/things').send({ ...valid, name: 'x'.repeat(3000) });
    expectProblem(response, 413, 'payload-too-large', '/things');
    expect(response.body.detail).toMatch(/^The request body is [\d,]+ bytes; the limit is 2,048 bytes \(2 kB\)\. Send a smaller body\.$/);
    expect(response.body.limit).toBe(2048);
  });

  it('answers 413 naming the limit to a chunked body over it (no declared length)', async () => {
    const { status, contentType, body } = await chunkedPost('/things', `{"name":"${'x'.repeat(3000)}"}`);
    expect(status).toBe(413);
    expect(contentType).toBe('application/problem+json');
    expect(JSON.parse(body).detail).toBe('The request body is larger than the limit of 2,048 bytes (2 kB). Send a smaller body.');
  });

  it('answers 431 as a problem document to headers over the server limit', async () => {
    const server = app.getHttpServer();
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const answer = await new Promise<{ status: number; type: string | undefined; body: string }>((resolve, reject) => {
      const outgoing = httpRequest({ host: '127.0.0.1', port, path: '/things', headers: { 'X-Padding': 'a'.repeat(20_000) } }, (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode!, type: response.headers['content-type'], body: text }));
      });
      outgoing.on('error', reject);
      outgoing.end();
    });
    expect(answer.status).toBe(431);
    expect(answer.type).toBe('application/problem+json');
    expect(JSON.parse(answer.body)).toMatchObject({ status: 431, detail: expect.stringContaining('16 KB') });
  });

  it('refuses a body nested deeper than 32 levels before converting it, naming the limit', async () => {
    const createdBefore = calls.create ?? 0;
    const deep = JSON.stringify({ ...valid, name: 'x' }).replace('"x"', '['.repeat(500) + ']'.repeat(500));
    const response = await post('/things').set('Content-Type', 'application/json').send(deep);
    expectProblem(response, 400, 'json-too-deep', '/things');
    expect(response.body.detail).toBe('The request body nests arrays and objects 501 levels deep; the limit is 32 levels.');
    expect(calls.create ?? 0).toBe(createdBefore);
  });

  it.each(['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'])(
    'refuses the unknown field %s, at the top and nested',
    async (name) => {
      const body = JSON.stringify(valid).replace('{', `{"${name}":{"admin":true},`).replace('"contact":{', `"contact":{"${name}":1,`);
      const response = await post('/things').set('Content-Type', 'application/json').send(body);
      expectProblem(response, 400, 'invalid-request', '/things');
      expect(response.body.errors).toEqual([
        { field: name, messages: [`${name} is an unknown field: remove it`] },
        { field: `contact.${name}`, messages: [`contact.${name} is an unknown field: remove it`] },
      ]);
    },
  );

  it.each([
    ['text/plain', 'name=Thing'],
    ['application/x-www-form-urlencoded', 'name=Thing&count=2'],
    ['application/xml', '<thing/>'],
  ])('answers 415 to a %s body', async (contentType, body) => {
    const response = await post('/things').set('Content-Type', contentType).send(body);
    expectProblem(response, 415, 'unsupported-media-type', '/things');
    expect(response.body.detail).toContain(contentType);
    expect(response.body.detail).toContain('application/json');
  });

  it('answers 415 to JSON in a charset other than UTF-8', async () => {
    const response = await post('/things').set('Content-Type', 'application/json; charset=latin1').send(JSON.stringify(valid));
    expectProblem(response, 415, 'unsupported-media-type', '/things');
  });

  it('reads a +json media type as JSON', async () => {
    const response = await post('/things').set('Content-Type', 'application/merge-patch+json').send(JSON.stringify(valid));
    expect(response.status).toBe(201);
  });
});

describe('errors', () => {
  it.each([
    ['invalid', 422, 'invalid-command', 'WFP-X is not a UN-system entity.', { clauses: ['ToR ¶12'], partnerId: 'WFP-X' }],
    ['forbidden', 403, 'forbidden', 'Only the Chair may frame the agenda.', { clauses: ['ToR ¶16(a)'] }],
    ['not-found', 404, 'not-found', 'No ballot "b-9".', { stream: 'ballot-b-9' }],
    ['rejected', 409, 'command-rejected', 'The workplan is not compiled yet.', { state: 'collecting', clauses: ['ToR ¶10(b)'], stream: 'workplan-2026' }],
    ['conflict', 409, 'conflict', 'The ballot kept changing under this command.', {}],
    ['integrity', 500, 'integrity-fault', 'The event at revision 3 of stream "ballot-b-1" (position 0) fails its integrity check; run `u4ssc verify`.', { stream: 'ballot-b-1', revision: 3, position: 0 }],
    ['concurrency', 409, 'concurrent-change', expect.stringContaining('Someone else changed ballot-b-1'), { stream: 'ballot-b-1' }],
    ['unavailable', 503, 'store-busy', 'The store stayed busy through 20 attempts; retry.', { stream: 'ballot-b-1' }],
    ['busy', 503, 'store-busy', expect.stringContaining('took nothing from this request; retry'), { stream: 'ballot-b-1' }],
  ] as const)('maps a %s error to %i with its details', async (kind, status, type, detail, extras) => {
    const response = await post(`/things/fail/${kind}`);
    expectProblem(response, status, type, `/things/fail/${kind}`);
    expect(response.body).toEqual({ type: expect.any(String), title: expect.any(String), status, detail, instance: `/things/fail/${kind}`, ...extras });
  });

  it.each(['unavailable', 'busy'])('asks the client to retry a request the busy store did not take (%s)', async (kind) => {
    const response = await post(`/things/fail/${kind}`);
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
  });

  it('answers an unexpected error with a generic 500, logging it under a reference and leaking nothing', async () => {
    const response = await post('/things/fail/boom');
    expectProblem(response, 500, 'internal-error', '/things/fail/boom');
    expect(JSON.stringify(response.body)).not.toMatch(/hunter2|password|Error:|\.ts:\d+/);
    expect(response.body.reference).toMatch(/^[0-9a-f-]{36}$/);
    const entry = logged.find((line) => line.includes(response.body.reference));
    expect(entry).toContain('database password=hunter2 refused: boom');
    expect(entry).toContain('POST /things/fail/boom');
  });

  it('answers an unknown route with 404', async () => {
    const response = await request(app.getHttpServer()).get('/nowhere?x=1').set('Authorization', alice);
    expectProblem(response, 404, 'about:blank', '/nowhere');
    expect(response.body).toMatchObject({ title: 'Not Found', detail: 'No route matches GET /nowhere.' });
  });

  it('keeps a handler\'s own 404 message', async () => {
    const response = await post('/things/fail/http-not-found');
    expectProblem(response, 404, 'about:blank', '/things/fail/http-not-found');
    expect(response.body.detail).toBe('No Partner "XYZ" is in the register.');
  });

  it('answers 401 to a forged token and to an expired one', async () => {
    const forged = await issueLocalToken('another-secret-of-the-same-length-000000', { sub: 'alice', roles: ['secretariat'] });
    const expired = await issueLocalToken(SECRET, { sub: 'alice', roles: ['secretariat'] }, { expiresIn: '-1s' });
    for (const token of [forged, expired]) {
      const response = await post('/things', `Bearer ${token}`).send(valid);
      expectProblem(response, 401, 'invalid-token', '/things');
      expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="u4ssc", error="invalid_token"/);
    }
  });
});

describe('Idempotency-Key', () => {
  it('replays the stored answer without calling the handler again', async () => {
    const before = calls.create ?? 0;
    const first = await post('/things').set('Idempotency-Key', 'key-replay').send(valid);
    const second = await post('/things').set('Idempotency-Key', 'key-replay').send(valid);
    expect(first.status).toBe(201);
    expect(first.headers['idempotency-replayed']).toBeUndefined();
    expect(second.status).toBe(201);
    expect(second.headers['idempotency-replayed']).toBe('true');
    expect(second.body).toEqual(first.body);
    expect(calls.create).toBe(before + 1);
  });

  it('replays a body whose keys come in another order', async () => {
    const before = calls.create ?? 0;
    await post('/things').set('Idempotency-Key', 'key-order').send({ name: 'N', count: 1, contact: { email: 'a@b.org' } });
    const again = await post('/things').set('Idempotency-Key', 'key-order').send({ contact: { email: 'a@b.org' }, count: 1, name: 'N' });
    expect(again.headers['idempotency-replayed']).toBe('true');
    expect(calls.create).toBe(before + 1);
  });

  it('keeps the status of the first answer', async () => {
    await post('/things/accepted').set('Idempotency-Key', 'key-202');
    const again = await post('/things/accepted').set('Idempotency-Key', 'key-202');
    expect(again.status).toBe(202);
    expect(again.headers['idempotency-replayed']).toBe('true');
  });

  it('answers 422 to the same key with a different body, without calling the handler', async () => {
    await post('/things').set('Idempotency-Key', 'key-reused').send(valid);
    const before = calls.create;
    const response = await post('/things').set('Idempotency-Key', 'key-reused').send({ ...valid, count: 3 });
    expectProblem(response, 422, 'idempotency-key-reused', '/things');
    expect(response.body.detail).toMatch(/^Idempotency-Key reused with a different request/);
    expect(calls.create).toBe(before);
  });

  it('answers 422 to the same key on another path', async () => {
    await post('/things/accepted').set('Idempotency-Key', 'key-path');
    const response = await post('/things').set('Idempotency-Key', 'key-path').send(valid);
    expectProblem(response, 422, 'idempotency-key-reused', '/things');
  });

  it('keeps each person\'s keys apart', async () => {
    const before = calls.create ?? 0;
    const fromAlice = await post('/things').set('Idempotency-Key', 'key-shared').send(valid);
    const fromBob = await post('/things', bob).set('Idempotency-Key', 'key-shared').send(valid);
    expect(fromBob.headers['idempotency-replayed']).toBeUndefined();
    expect(fromBob.body.by).toBe('bob');
    expect(fromBob.body.commandId).not.toBe(fromAlice.body.commandId);
    expect(calls.create).toBe(before + 2);
  });

  it('derives the command id from the principal and the key, so racing retries issue one command', async () => {
    const [one, two] = await Promise.all([
      post('/things').set('Idempotency-Key', 'key-race').send(valid),
      post('/things').set('Idempotency-Key', 'key-race').send(valid),
    ]);
    expect(one.body.commandId).toBe(derivedId('idempotency', 'alice', 'key-race'));
    expect(two.body.commandId).toBe(one.body.commandId);
  });

  it('gives a fresh command id to every request without a key', async () => {
    const one = await post('/things').send(valid);
    const two = await post('/things').send(valid);
    expect(one.body.commandId).toMatch(/^[0-9a-f-]{36}$/);
    expect(two.body.commandId).not.toBe(one.body.commandId);
    const read = await request(app.getHttpServer()).get('/things/commands/id').set('Authorization', alice);
    expect(read.body.commandId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('does not store refusals: the retry runs the handler again', async () => {
    const before = calls.refuse ?? 0;
    const first = await post('/things/refuse').set('Idempotency-Key', 'key-refused');
    const second = await post('/things/refuse').set('Idempotency-Key', 'key-refused');
    expectProblem(first, 409, 'command-rejected', '/things/refuse');
    expect(second.status).toBe(409);
    expect(second.headers['idempotency-replayed']).toBeUndefined();
    expect(calls.refuse).toBe(before + 2);
  });

  it('does not store a request refused by validation: the corrected retry runs', async () => {
    const bad = await post('/things').set('Idempotency-Key', 'key-invalid-first').send({ ...valid, count: 0 });
    expect(bad.status).toBe(400);
    const good = await post('/things').set('Idempotency-Key', 'key-invalid-first').send(valid);
    expect(good.status).toBe(201);
    expect(good.headers['idempotency-replayed']).toBeUndefined();
  });

  it.each([
    ['too long', 'k'.repeat(201)],
    ['holding a tab', 'key\tkey'],
    ['non-ASCII', 'clé'],
  ])('answers 400 to a key that is %s', async (_case, key) => {
    const response = await post('/things').set('Idempotency-Key', key).send(valid);
    expectProblem(response, 400, 'invalid-idempotency-key', '/things');
  });

  it('accepts a key of 200 printable characters', async () => {
    const response = await post('/things').set('Idempotency-Key', '~'.repeat(200)).send(valid);
    expect(response.status).toBe(201);
  });

  it('ignores the key where there is no principal to scope it', async () => {
    const before = calls.public ?? 0;
    const one = await request(app.getHttpServer()).post('/things/public').set('Idempotency-Key', 'key-public');
    const two = await request(app.getHttpServer()).post('/things/public').set('Idempotency-Key', 'key-public');
    expect(two.headers['idempotency-replayed']).toBeUndefined();
    expect(two.body.commandId).not.toBe(one.body.commandId);
    expect(calls.public).toBe(before + 2);
  });
});

describe('OpenAPI', () => {
  it('serves the document at /docs-json with bearer auth, and public routes open', async () => {
    const response = await request(app.getHttpServer()).get('/docs-json');
    expect(response.status).toBe(200);
    expect(response.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(response.body.security).toEqual([{ bearer: [] }]);
    expect(response.body.paths['/things/public'].post.security).toEqual([{}]);
    expect(response.body.paths['/things'].post.security).toBeUndefined();
  });

  it('serves the UI at /docs without a token', async () => {
    const response = await request(app.getHttpServer()).get('/docs');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
  });
});
