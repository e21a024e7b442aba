import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public, type Principal } from '../../libs/auth/index.js';
import { html } from '../../libs/html/index.js';
import { WebPages } from './web-pages.js';

/** Where each role starts: what it acts on most. */
export function homeOf(principal: Principal): string {
  if (principal.roles.includes('secretariat')) return '/secretariat';
  if (principal.roles.includes('partner')) return '/vote';
  if (principal.roles.includes('auditor')) return '/audit';
  return '/registers/partners';
}

@ApiExcludeController()
@Public()
@Controller()
export class HomeController {
  constructor(private readonly pages: WebPages) {}

  @Get()
  async home(@Req() request: Request, @Res() response: Response): Promise<void> {
    const context = await this.pages.open(request, response);
    if (context.principal !== undefined) return response.redirect(303, homeOf(context.principal));
    context.render(
      'U4SSC governance',
      html`<p>The decisions of United for Smart Sustainable Cities, as the Terms of Reference lay them down: workplans
compiled, reviewed and agreed; Partners Board ballots between meetings; two-year tenures of office.
Every step is recorded as an event that cannot be changed or removed, and anyone with the auditor role can check that.</p>
<ul>
  <li><strong>The Secretariat</strong> sees what needs action and takes the next step.</li>
  <li><strong>Partner representatives</strong> vote on open ballots for their organisation.</li>
  <li><strong>Auditors</strong> replay any process as of any instant and verify the record.</li>
</ul>
<p><a class="button" href="/sign-in">Sign in</a></p>
<p class="muted">For programs: the API is under <a href="/docs">/docs</a>.</p>`,
    );
  }
}
