import { Module, type DynamicModule } from '@nestjs/common';
import { createTokenVerifier } from '../../libs/auth/token-verifier.js';
import type { AppConfig } from '../../libs/config/index.js';
import { APP_CONFIG } from '../../libs/kernel/tokens.js';
import { AssetsController } from './assets.controller.js';
import { AuditPagesController } from './audit/audit.controller.js';
import { HomeController } from './home.controller.js';
import { RegistersController } from './registers/registers.controller.js';
import { SecretariatController } from './secretariat/secretariat.controller.js';
import { OidcController } from './oidc.controller.js';
import { SignInController } from './sign-in.controller.js';
import { WEB_TOKEN_VERIFIER, WebPages } from './web-pages.js';
import { VoteController } from './vote/vote.controller.js';

/**
 * The web interface, served by the API process at `/`: server-rendered pages that call the API as the signed-in
 * person. The pages check the session's token with the same settings as the API's guard.
 */
@Module({})
export class WebModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WebModule,
      controllers: [AssetsController, SignInController, OidcController, HomeController, AuditPagesController, VoteController, SecretariatController, RegistersController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: WEB_TOKEN_VERIFIER, useFactory: () => createTokenVerifier(config) },
        WebPages,
      ],
    };
  }
}
