import type { NestExpressApplication, NestExpressBodyParserOptionsFor } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { answerClientError } from './client-errors.js';
import { JSON_MEDIA_TYPES, jsonBodiesOnly } from './json-bodies-only.js';
import { refuseDeepJson } from './json-depth.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ProblemDetailsFilter, type HtmlPages } from './problem-details.filter.js';
import { createValidationPipe } from './validation-pipe.js';

export interface HttpAppOptions {
  /** Largest JSON body accepted (body-parser syntax: '100kb', '1mb'); larger ones get 413. */
  bodyLimit?: string;
  /** OpenAPI document title and version. */
  title?: string;
  version?: string;
  description?: string;
  /**
   * The web interface served beside the API: on its paths, forms post `application/x-www-form-urlencoded`
   * (parsed up to the same limit) and problems are answered as HTML pages. Everywhere else stays JSON only.
   */
  pages?: HtmlPages;
}

export const BEARER_SCHEME = 'bearer';

/**
 * Installs the HTTP conventions of docs/architecture.md §4 on an app: JSON bodies only (415 otherwise) up to `bodyLimit`
 * (413 beyond), RFC 9457 problems for every error, the validation pipe, and OpenAPI at `/docs` (JSON at
 * `/docs-json`) with bearer auth declared for every route except @Public() ones.
 *
 * Create the app with Nest's own parsers off, so no urlencoded parser and no second JSON parser run:
 *
 *   const app = await NestFactory.create<NestExpressApplication>(AppModule, { bodyParser: false });
 *   configureHttpApp(app);
 *   await app.listen(port);
 *
 * Call it before `init()`/`listen()`: Nest registers its unknown-route and error handlers at init, and they
 * must come after this parser. The guard and the idempotency interceptor need injection and are providers
 * instead (`authProviders()`, `IdempotencyInterceptor` as APP_INTERCEPTOR).
 */
export function configureHttpApp(app: NestExpressApplication, options: HttpAppOptions = {}): NestExpressApplication {
  const limit = options.bodyLimit ?? '100kb';
  const pages = options.pages;
  app.use(
    pages === undefined
      ? jsonBodiesOnly
      : (request: IncomingMessage & { path?: string }, response: ServerResponse, next: (error?: unknown) => void) =>
          pages.isPage(request.path ?? request.url ?? '/') ? next() : jsonBodiesOnly(request, response, next),
  );
  // Not strict: body-parser would call `null` or `"text"` invalid JSON, which they are not; the validation pipe
  // answers instead that a DTO body must be an object.
  // The depth check reads the raw bytes before the parser does (Nest keeps `verify` for `rawBody`, which is off).
  const json = { limit, type: JSON_MEDIA_TYPES, strict: false, verify: refuseDeepJson } as NestExpressBodyParserOptionsFor<'json'>;
  app.useBodyParser('json', json);
  if (pages !== undefined) app.useBodyParser('urlencoded', { limit, extended: false });
  app.useGlobalFilters(new ProblemDetailsFilter(pages));
  app.getHttpServer().on('clientError', answerClientError);
  app.useGlobalPipes(createValidationPipe());

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(options.title ?? 'U4SSC governance engine')
      .setVersion(options.version ?? '1')
      .setDescription(options.description ?? 'Errors are RFC 9457 application/problem+json documents.')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, BEARER_SCHEME)
      .addSecurityRequirements(BEARER_SCHEME)
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
