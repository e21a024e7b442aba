import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { generateKeyPair, SignJWT } from 'jose';
import request from 'supertest';
import type { AppConfig } from '../config/app-config.js';
import { configureHttpApp } from '../http/configure-http-app.js';
import { APP_CONFIG } from '../kernel/tokens.js';
import { authProviders } from './auth-providers.js';
import { CurrentPrincipal, Public, Roles } from './decorators.js';
import { issueLocalToken } from './local-token.js';
import type { Principal } from './principal.js';

const SECRET = 'the-guard-spec-secret-0123456789abcdef';
const config: AppConfig = { store: 'memory', sqliteFile: '/nonexistent/u4ssc.sqlite', port: 0, tokenSecret: SECRET };

@Controller('t')
class TestController {
  @Public()
  @Get('open')
  open() {
    return { open: true };
  }

  @Get('me')
  me(@CurrentPrincipal() principal: Principal) {
    return principal;
  }

  @Roles('secretariat', 'auditor')
  @Get('staff')
  staff() {
    return { staff: true };
  }
}

@Roles('secretariat')
@Controller('sec')
class SecretariatController {
  @Get()
  only() {
    return { secretariat: true };
  }

  @Roles('partner')
  @Get('partners')
  partners() {
    return { partners: true };
  }

  @Public()
  @Get('open')
  open() {
    return { open: true };
  }
}

@Module({
  controllers: [TestController, SecretariatController],
  providers: [{ provide: APP_CONFIG, useValue: config }, ...authProviders()],
})
class TestModule {}

let app: NestExpressApplication;
const token = (roles: Principal['roles'], extra: { org?: string; name?: string } = {}) =>
  issueLocalToken(SECRET, { sub: 'person-1', roles, ...extra });

beforeAll(async () => {
  app = await NestFactory.create<NestExpressApplication>(TestModule, { bodyParser: false, logger: false });
  configureHttpApp(app);
  await app.init();
});
afterAll(async () => {
  await app.close();
});

function expect401(response: request.Response, detail: RegExp | string) {
  expect(response.status).toBe(401);
  expect(response.headers['content-type']).toBe('application/problem+json');
  expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="u4ssc"/);
  expect(response.body).toMatchObject({ status: 401, instance: '/t/me' });
  expect(response.body.type).toMatch(/^https:\/\/u4ssc\.example\/problems\/(missing|invalid)-token$/);
  if (typeof detail === 'string') expect(response.body.detail).toBe(detail);
  else expect(response.body.detail).toMatch(detail);
}

describe('AuthGuard', () => {
  it('lets a valid token through and hands the principal to the handler', async () => {
    const response = await request(app.getHttpServer())
      .get('/t/me')
      .set('Authorization', `Bearer ${await token(['partner'], { org: 'FAO', name: 'Ada' })}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ id: 'person-1', name: 'Ada', roles: ['partner'], org: 'FAO' });
  });

  it('accepts the scheme name in any case', async () => {
    const response = await request(app.getHttpServer()).get('/t/me').set('Authorization', `bearer ${await token(['partner'])}`);
    expect(response.status).toBe(200);
  });

  it('answers 401 without a token', async () => {
    const response = await request(app.getHttpServer()).get('/t/me');
    expect401(response, 'This request needs a bearer token: send "Authorization: Bearer <token>".');
    expect(response.headers['www-authenticate']).toBe('Bearer realm="u4ssc"');
    expect(response.body.title).toBe('Authentication required');
  });

  it('answers 401 to an expired token', async () => {
    const expired = await issueLocalToken(SECRET, { sub: 'person-1', roles: ['secretariat'] }, { expiresIn: '-5m' });
    const response = await request(app.getHttpServer()).get('/t/me').set('Authorization', `Bearer ${expired}`);
    expect401(response, 'The bearer token was refused: the token has expired.');
    expect(response.headers['www-authenticate']).toBe('Bearer realm="u4ssc", error="invalid_token", error_description="the token has expired"');
  });

  it('answers 401 to a token forged with another secret', async () => {
    const forged = await issueLocalToken('not-the-secret-but-just-as-long-0123456789', { sub: 'person-1', roles: ['secretariat'] });
    const response = await request(app.getHttpServer()).get('/t/me').set('Authorization', `Bearer ${forged}`);
    expect401(response, 'The bearer token was refused: the token signature does not verify.');
  });

  it('answers 401 to an unsigned token (alg: none)', async () => {
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'person-1', roles: ['secretariat'], iss: 'u4ssc-local', exp: 4102444800 })}.`;
    const response = await request(app.getHttpServer()).get('/t/me').set('Authorization', `Bearer ${unsigned}`);
    expect401(response, /algorithm this service does not accept/);
  });

  it('answers 401 to a token with the right secret but the wrong issuer', async () => {
    const foreign = await new SignJWT({ roles: ['secretariat'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('person-1')
      .setIssuer('someone-else').setExpirationTime('1h').sign(new TextEncoder().encode(SECRET));
    const response = await request(app.getHttpServer()).get('/t/me').set('Authorization', `Bearer ${foreign}`);
    expect401(response, /"iss" claim does not match what this service expects/);
  });

  it.each([
    ['garbage after Bearer', 'Bearer not-a-jwt', /not a well-formed signed JWT/],
    ['Bearer with no token', 'Bearer', /does not hold a bearer token/],
    ['a token with spaces', 'Bearer a b c', /does not hold a bearer token/],
    ['another scheme', 'Basic dXNlcjpwYXNz', /must use the Bearer scheme/],
  ])('answers 401 to %s', async (_case, header, detail) => {
    const response = await request(app.getHttpServer()).get('/t/me').set('Authorization', header);
    expect401(response, detail);
  });

  it('lets anyone reach a @Public() route', async () => {
    expect((await request(app.getHttpServer()).get('/t/open')).body).toEqual({ open: true });
    expect((await request(app.getHttpServer()).get('/sec/open')).body).toEqual({ open: true });
  });

  it('answers 403 naming the required roles to someone without them', async () => {
    const response = await request(app.getHttpServer()).get('/t/staff').set('Authorization', `Bearer ${await token(['partner', 'participant'])}`);
    expect(response.status).toBe(403);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.body).toEqual({
      type: 'https://u4ssc.example/problems/missing-role',
      title: 'Forbidden',
      status: 403,
      detail: 'This action needs one of the roles secretariat, auditor; you have the roles partner, participant.',
      instance: '/t/staff',
      requiredRoles: ['secretariat', 'auditor'],
      roles: ['partner', 'participant'],
    });
  });

  it('lets in anyone holding one of the roles', async () => {
    const response = await request(app.getHttpServer()).get('/t/staff').set('Authorization', `Bearer ${await token(['partner', 'auditor'])}`);
    expect(response.status).toBe(200);
  });

  it('takes the roles of the controller, and a method\'s own @Roles over them', async () => {
    const partner = `Bearer ${await token(['partner'])}`;
    const secretariat = `Bearer ${await token(['secretariat'])}`;
    const none = `Bearer ${await token([])}`;
    expect((await request(app.getHttpServer()).get('/sec').set('Authorization', partner)).status).toBe(403);
    expect((await request(app.getHttpServer()).get('/sec').set('Authorization', secretariat)).status).toBe(200);
    expect((await request(app.getHttpServer()).get('/sec/partners').set('Authorization', partner)).status).toBe(200);
    const refused = await request(app.getHttpServer()).get('/sec/partners').set('Authorization', none);
    expect(refused.body.detail).toBe('This action needs the role partner; you have no role.');
  });

  it('answers 503, not 401, when the identity provider cannot be reached', async () => {
    const external = await NestFactory.create<NestExpressApplication>(
      {
        module: class ExternalModule {},
        controllers: [TestController],
        providers: [{ provide: APP_CONFIG, useValue: { ...config, jwksUrl: 'http://127.0.0.1:1/jwks.json' } }, ...authProviders()],
      },
      { bodyParser: false, logger: false },
    );
    configureHttpApp(external);
    await external.init();
    try {
      const { privateKey } = await generateKeyPair('RS256');
      const token = await new SignJWT({ roles: ['partner'] }).setProtectedHeader({ alg: 'RS256', kid: 'k' }).setSubject('p')
        .setExpirationTime('5m').sign(privateKey);
      const response = await request(external.getHttpServer()).get('/t/me').set('Authorization', `Bearer ${token}`);
      expect(response.status).toBe(503);
      expect(response.headers['content-type']).toBe('application/problem+json');
      expect(response.body).toMatchObject({ type: 'https://u4ssc.example/problems/identity-provider-unavailable', status: 503 });
    } finally {
      await external.close();
    }
  });
});
