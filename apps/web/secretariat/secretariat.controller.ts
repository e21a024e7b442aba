import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../../../libs/auth/index.js';
import type { ProblemDocument } from '../../../libs/http/index.js';
import { parseSeat } from '../../../state-machines/office/office.seat.js';
import { postCommandForm, renderCommandForm, type CommandForm } from '../forms.js';
import { WebPages, type PageRequest } from '../web-pages.js';
import { closeBallotForm, openBallotForm, withdrawBallotForm } from './ballot-forms.js';
import { loadDashboard, nextEvents, officeStepsAllowed, REFRESH_SECONDS, renderDashboard, type BallotSummary } from './dashboard.js';
import { OFFICE_STEP_LABELS, OFFICE_STEPS, officeStepForm, seatName, type OfficeStep } from './office-forms.js';
import { registerPartnerForm, withdrawPartnerForm } from './partner-forms.js';
import { openWorkplanForm, WORKPLAN_STEP_LABELS, WORKPLAN_STEPS, workplanStepForm, type WorkplanStep } from './workplan-forms.js';

type FormBody = Record<string, unknown> | undefined;

/** A form's step that the API does not list as allowed now: said as a 409 page, without the form. */
function notAllowed(detail: string): ProblemDocument {
  return { type: 'https://u4ssc.example/problems/step-not-allowed', title: 'Not allowed now', status: 409, detail };
}

function notFound(detail: string): ProblemDocument {
  return { type: 'https://u4ssc.example/problems/not-found', title: 'Not Found', status: 404, detail };
}

/**
 * The Secretariat's pages (issue #9): the dashboard of what needs action, and a form for each command it may take.
 * Every form is offered only when the API lists its step as allowed next (a workplan cycle's `allowed`, a process's
 * next steps); a form posted anyway is still decided by the API, whose refusal is shown at the top of the form.
 */
@ApiExcludeController()
@Public()
@Controller('secretariat')
export class SecretariatController {
  constructor(private readonly pages: WebPages) {}

  @Get()
  async dashboard(@Req() request: Request, @Res() response: Response): Promise<void> {
    const context = await this.pages.signedIn(request, response, ['secretariat']);
    if (!context) return;
    const data = await loadDashboard(context.api);
    context.render('What needs action', renderDashboard(data), { refreshSeconds: REFRESH_SECONDS });
  }

  // Ballots (ToR ¶13(b))

  @Get('ballots/new')
  async openBallot(@Req() request: Request, @Res() response: Response): Promise<void> {
    const context = await this.pages.signedIn(request, response, ['secretariat']);
    if (context) renderCommandForm(context, openBallotForm(), { channel: 'electronic' });
  }

  @Post('ballots/new')
  async postOpenBallot(@Req() request: Request, @Res() response: Response, @Body() body: FormBody): Promise<void> {
    await this.post(request, response, body, async () => openBallotForm());
  }

  @Get('ballots/:ballotId/:step')
  async ballotStep(@Req() request: Request, @Res() response: Response, @Param('ballotId') ballotId: string, @Param('step') step: string): Promise<void> {
    const context = await this.pages.signedIn(request, response, ['secretariat']);
    if (!context) return;
    const form = await this.ballotForm(context, ballotId, step, true);
    if (form) renderCommandForm(context, form);
  }

  @Post('ballots/:ballotId/:step')
  async postBallotStep(@Req() request: Request, @Res() response: Response, @Param('ballotId') ballotId: string, @Param('step') step: string, @Body() body: FormBody): Promise<void> {
    await this.post(request, response, body, (context) => this.ballotForm(context, ballotId, step, false));
  }

  /** The close or withdraw form; `checkAllowed`: answer 409 instead when the ballot's process does not list the step. */
  private async ballotForm(context: PageRequest, ballotId: string, step: string, checkAllowed: boolean): Promise<CommandForm | undefined> {
    if (step !== 'close' && step !== 'withdraw') {
      context.problem(notFound(`there is no step "${step}" for a ballot here: close or withdraw`));
      return undefined;
    }
    const ballot = await context.api.get<BallotSummary>(`/v1/ballots/${encodeURIComponent(ballotId)}`);
    if (!ballot.ok) {
      context.problem(ballot.problem);
      return undefined;
    }
    if (checkAllowed) {
      const next = await nextEvents(context.api, `ballot-${ballot.body.ballotId}`);
      if ('problem' in next) {
        context.problem(next.problem);
        return undefined;
      }
      const event = step === 'close' ? 'BallotClosed' : 'BallotWithdrawn';
      if (!next.events.includes(event)) {
        context.problem(notAllowed(`The ballot “${ballot.body.subject.title}” is ${ballot.body.status}: it can no longer be ${step === 'close' ? 'closed' : 'withdrawn'} (ToR ¶13(b)).`));
        return undefined;
      }
    }
    return step === 'close' ? closeBallotForm(ballot.body.ballotId, ballot.body.question) : withdrawBallotForm(ballot.body.ballotId, ballot.body.question);
  }

  // Workplan cycles (ToR ¶10)

  @Get('workplans/new')
  async openWorkplan(@Req() request: Request, @Res() response: Response): Promise<void> {
    const context = await this.pages.signedIn(request, response, ['secretariat']);
    if (context) renderCommandForm(context, openWorkplanForm());
  }

  @Post('workplans/new')
  async postOpenWorkplan(@Req() request: Request, @Res() response: Response, @Body() body: FormBody): Promise<void> {
    await this.post(request, response, body, async () => openWorkplanForm());
  }

  @Get('workplans/:cycle/:step')
  async workplanStep(@Req() request: Request, @Res() response: Response, @Param('cycle') cycle: string, @Param('step') step: string): Promise<void> {
    const context = await this.pages.signedIn(request, response, ['secretariat']);
    if (!context) return;
    const form = await this.workplanForm(context, cycle, step, true);
    if (form) renderCommandForm(context, form, step === 'ballot' ? { channel: 'meeting' } : {});
  }

  @Post('workplans/:cycle/:step')
  async postWorkplanStep(@Req() request: Request, @Res() response: Response, @Param('cycle') cycle: string, @Param('step') step: string, @Body() body: FormBody): Promise<void> {
    await this.post(request, response, body, (context) => this.workplanForm(context, cycle, step, false));
  }

  private async workplanForm(context: PageRequest, cycle: string, step: string, checkAllowed: boolean): Promise<CommandForm | undefined> {
    if (!(WORKPLAN_STEPS as readonly string[]).includes(step)) {
      context.problem(notFound(`there is no workplan step "${step}" here: ${WORKPLAN_STEPS.join(', ')}`));
      return undefined;
    }
    const found = await context.api.get<{ cycle: string; title: string; state: string; allowed: string[] }>(`/v1/workplans/${encodeURIComponent(cycle)}`);
    if (!found.ok) {
      context.problem(found.problem);
      return undefined;
    }
    if (checkAllowed && !found.body.allowed.includes(step)) {
      const allowed = found.body.allowed.filter((s) => (WORKPLAN_STEPS as readonly string[]).includes(s)).map((s) => WORKPLAN_STEP_LABELS[s as WorkplanStep].toLowerCase());
      context.problem(notAllowed(`The workplan ${found.body.cycle} is ${found.body.state}: “${WORKPLAN_STEP_LABELS[step as WorkplanStep]}” is not a step you may take now (ToR ¶10). ${allowed.length > 0 ? `You may: ${allowed.join('; ')}.` : 'No step is yours to take now.'}`));
      return undefined;
    }
    return workplanStepForm(found.body.cycle, step as WorkplanStep, found.body.title);
  }

  // Partners (ToR ¶12, Annex II)

  @Get('partners/new')
  async registerPartner(@Req() request: Request, @Res() response: Response): Promise<void> {
    const context = await this.pages.signedIn(request, response, ['secretariat']);
    if (context) renderCommandForm(context, registerPartnerForm());
  }

  @Post('partners/new')
  async postRegisterPartner(@Req() request: Request, @Res() response: Response, @Body() body: FormBody): Promise<void> {
    await this.post(request, response, body, async () => registerPartnerForm());
  }

  @Get('partners/:partnerId/withdraw')
  async withdrawPartner(@Req() request: Request, @Res() response: Response, @Param('partnerId') partnerId: string): Promise<void> {
    const context = await this.pages.signedIn(request, response, ['secretariat']);
    if (!context) return;
    const form = await this.partnerForm(context, partnerId, true);
    if (form) renderCommandForm(context, form);
  }

  @Post('partners/:partnerId/withdraw')
  async postWithdrawPartner(@Req() request: Request, @Res() response: Response, @Param('partnerId') partnerId: string, @Body() body: FormBody): Promise<void> {
    await this.post(request, response, body, (context) => this.partnerForm(context, partnerId, false));
  }

  private async partnerForm(context: PageRequest, partnerId: string, checkAllowed: boolean): Promise<CommandForm | undefined> {
    const partner = await context.api.get<{ partnerId: string; name: string; status: string }>(`/v1/partners/${encodeURIComponent(partnerId)}`);
    if (!partner.ok) {
      context.problem(partner.problem);
      return undefined;
    }
    if (checkAllowed) {
      const next = await nextEvents(context.api, `partner-${partner.body.partnerId}`);
      if ('problem' in next) {
        context.problem(next.problem);
        return undefined;
      }
      if (!next.events.includes('PartnerWithdrawn')) {
        context.problem(notAllowed(`${partner.body.partnerId} is ${partner.body.status}: there is no membership to end (ToR ¶12).`));
        return undefined;
      }
    }
    return withdrawPartnerForm(partner.body.partnerId, partner.body.name);
  }

  // Offices (ToR ¶13(a), ¶15, ¶19, ¶28, Annex I)

  /** The dashboard's "any seat" form is a GET form: it leads to the seat's own form. */
  @Get('offices')
  async chooseSeat(@Req() request: Request, @Res() response: Response, @Query('seat') seat: string | undefined, @Query('step') step: string | undefined): Promise<void> {
    const context = await this.pages.signedIn(request, response, ['secretariat']);
    if (!context) return;
    const id = (seat ?? '').trim();
    if (id === '' || !(OFFICE_STEPS as readonly string[]).includes(step ?? '')) {
      context.problem({ type: 'https://u4ssc.example/problems/validation', title: 'Bad Request', status: 400, detail: `Name a seat (${OFFICE_STEPS.join(', ')}) and a step.` });
      return;
    }
    context.redirect(`/secretariat/offices/${encodeURIComponent(id)}/${step}`);
  }

  @Get('offices/:seat/:step')
  async officeStep(@Req() request: Request, @Res() response: Response, @Param('seat') seat: string, @Param('step') step: string): Promise<void> {
    const context = await this.pages.signedIn(request, response, ['secretariat']);
    if (!context) return;
    const form = await this.officeForm(context, seat, step, true);
    if (form) renderCommandForm(context, form);
  }

  @Post('offices/:seat/:step')
  async postOfficeStep(@Req() request: Request, @Res() response: Response, @Param('seat') seat: string, @Param('step') step: string, @Body() body: FormBody): Promise<void> {
    await this.post(request, response, body, (context) => this.officeForm(context, seat, step, false));
  }

  private async officeForm(context: PageRequest, seat: string, step: string, checkAllowed: boolean): Promise<CommandForm | undefined> {
    if (!(OFFICE_STEPS as readonly string[]).includes(step)) {
      context.problem(notFound(`there is no office step "${step}" here: ${OFFICE_STEPS.join(', ')}`));
      return undefined;
    }
    if (parseSeat(seat) === undefined) {
      context.problem(notFound(`"${seat}" names no seat: give chair, vice-chair-<n>, leader-<thematic group> or ip-leader (ToR ¶15, ¶19, Annex I).`));
      return undefined;
    }
    if (checkAllowed) {
      const next = await nextEvents(context.api, `office-${seat}`);
      if ('problem' in next) {
        context.problem(next.problem);
        return undefined;
      }
      const allowed = officeStepsAllowed(next);
      if (!allowed.includes(step as OfficeStep)) {
        context.problem(notAllowed(`The seat ${seatName(seat)} is ${next.state ?? 'vacant'}: “${OFFICE_STEP_LABELS[step as OfficeStep]}” is not a step it may take now (ToR ¶28). ${allowed.length > 0 ? `It may take: ${allowed.map((s) => OFFICE_STEP_LABELS[s].toLowerCase()).join('; ')}.` : ''}`));
        return undefined;
      }
    }
    return officeStepForm(seat, step as OfficeStep);
  }

  /** Every form's post: the Secretariat's role, this browser's CSRF token, then the shared review/confirm flow. */
  private async post(request: Request, response: Response, body: FormBody, form: (context: PageRequest) => Promise<CommandForm | undefined>): Promise<void> {
    const context = await this.pages.signedIn(request, response, ['secretariat']);
    if (!context || !this.pages.checkCsrf(context, body)) return;
    const built = await form(context);
    if (built) await postCommandForm(context, built, body);
  }
}
