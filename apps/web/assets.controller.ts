import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../../libs/auth/index.js';
import { WEB_CSS } from './assets/web-css.js';
import { WEB_JS } from './assets/web-js.js';

/** The stylesheet and the script, compiled into the app (no files to copy next to `dist/`). */
@ApiExcludeController()
@Public()
@Controller('assets')
export class AssetsController {
  @Get('web.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=300')
  css(): string {
    return WEB_CSS;
  }

  @Get('web.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=300')
  js(): string {
    return WEB_JS;
  }
}
