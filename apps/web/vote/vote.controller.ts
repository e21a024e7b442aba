import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../../../libs/auth/index.js';
import type { BallotResponse } from '../../../libs/ballots/index.js';
import { problemType } from '../../../libs/http/index.js';
import type { Clock } from '../../../libs/kernel/clock.js';
import { CLOCK } from '../../../libs/kernel/tokens.js';
import type { PartnerView } from '../../../libs/partners/partner.view.js';
import { CHOICES } from '../../../state-machines/ballot/ballot.events.js';
import { postCommandForm, renderCommandForm } from '../forms.js';
import { bodyOr, WebPages, type PageRequest } from '../web-pages.js';
import { ballotPage, tor, voteForm, voteState, votingList, type PartnerNames } from './vote-pages.js';

type FormBody = Record<string, unknown> | undefined;

/** Form fields that would name an organisation: a vote is always for the session's own (ToR ¶13). */
const ORGANISATION_FIELDS = ['org', 'partnerId', 'organisation'] as const;

/**
 * The Partner representative's pages (ToR ¶13, ¶13(b)): the ballots open for their organisation, the vote (cast or
 * changed where the frozen rules allow) in the shared three-step command form, and the results after the close.
 * Everything is read from and recorded through the API with the representative's own token, so the API's checks
 * (role, organisation, electorate, state, deadline) decide every vote; the page only avoids offering a control
 * the API would refuse, and never offers a choice of organisation.
 */
@ApiExcludeController()
@Public()
@Controller('vote')
export class VoteController {
  constructor(
    private readonly pages: WebPages,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  async list(@Req() request: Request, @Res() response: Response): Promise<void> {
    const context = await this.pages.signedIn(request, response, ['partner']);
    if (context === undefined) return;
    const answer = await context.api.get<BallotResponse[]>('/v1/ballots');
    if (!answer.ok) return context.problem(answer.problem);
    const now = this.clock.now();
    const org = context.principal!.org;
    const names = await partnerNames(context);
    // While a ballot is about to close, the turnout on this page is kept fresh (JavaScript only; it says so).
    const closingSoon = answer.body.some((b) => b.status === 'open' && b.closesAt !== undefined && Date.parse(b.closesAt) - now.getTime() < 86_400_000);
    const refreshSeconds = closingSoon ? 60 : undefined;
    context.render('Vote', votingList(answer.body, org, names, now, refreshSeconds), { refreshSeconds });
  }

  @Get(':ballotId')
  async ballot(@Req() request: Request, @Res() response: Response, @Param('ballotId') ballotId: string): Promise<void> {
    const context = await this.pages.signedIn(request, response, ['partner']);
    if (context === undefined) return;
    const ballot = await this.load(context, ballotId);
    if (ballot === undefined) return;
    const now = this.clock.now();
    const org = context.principal!.org;
    const names = await partnerNames(context);
    const state = voteState(ballot, org, now);
    if (!state.open) return context.render(title(ballot), ballotPage(ballot, org, names, now, state));
    const form = voteForm(ballot, org!, names, now, state.changing);
    renderCommandForm(context, form, ballot.yourOrganisation?.choice ? { choice: ballot.yourOrganisation.choice } : {});
  }

  @Post(':ballotId')
  async vote(@Req() request: Request, @Res() response: Response, @Param('ballotId') ballotId: string, @Body() body: FormBody): Promise<void> {
    const context = await this.pages.signedIn(request, response, ['partner']);
    if (context === undefined || !this.pages.checkCsrf(context, body)) return;
    const org = context.principal!.org;
    // A form never names the organisation; one posted by hand that names another is refused, before anything else.
    const named = ORGANISATION_FIELDS.map((field) => body?.[field]).find((value) => value !== undefined && value !== org);
    if (named !== undefined) {
      return context.problem({
        type: problemType('forbidden'),
        title: 'Forbidden',
        status: 403,
        detail: `${org === undefined ? 'Your sign-in names no organisation' : `You represent ${org}`}: a representative votes only for their own organisation, not for ${String(named)} (ToR ¶13). Nothing was recorded.`,
        clauses: ['¶13'],
      });
    }
    const ballot = await this.load(context, ballotId);
    if (ballot === undefined) return;
    const now = this.clock.now();
    const names = await partnerNames(context);
    const state = voteState(ballot, org, now);
    if (!state.open) {
      return context.render(title(ballot), ballotPage(ballot, org, names, now, state), { status: state.status });
    }
    const form = voteForm(ballot, org!, names, now, state.changing);
    const choice = body?.choice;
    if (body?._step !== 'confirm' && body?._step !== 'edit' && !(CHOICES as readonly unknown[]).includes(choice)) {
      // Nothing to check yet: back to the choices, saying so next to them.
      return renderCommandForm(context, form, {}, {
        type: problemType('invalid-request'),
        title: 'Choose a vote',
        status: 400,
        detail: `Choose Yes, No or Abstain for ${org}, then continue (${tor(['¶13(b)'])}).`,
        errors: [{ field: 'choice', messages: ['choose Yes, No or Abstain'] }],
      });
    }
    await postCommandForm(context, form, body);
  }

  /** The ballot as this person may see it, or undefined after showing the API's problem (404 for an unknown id). */
  private async load(context: PageRequest, ballotId: string): Promise<BallotResponse | undefined> {
    return bodyOr(context, await context.api.get<BallotResponse>(`/v1/ballots/${encodeURIComponent(ballotId)}`));
  }
}

function title(ballot: BallotResponse): string {
  return ballot.decision !== undefined ? `Results: ${ballot.subject.title}` : ballot.subject.title;
}

/** The register's names for the Partners (withdrawn ones too: they may have voted); ids alone if it cannot be read. */
async function partnerNames(context: PageRequest): Promise<PartnerNames> {
  const answer = await context.api.get<PartnerView[]>('/v1/partners', { includeWithdrawn: 'true' });
  return new Map(answer.ok ? answer.body.map((partner) => [partner.partnerId, partner.name]) : []);
}
