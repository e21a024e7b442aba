import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../../../libs/auth/index.js';
import type { BallotResponse } from '../../../libs/ballots/index.js';
import type { ExpiriesAnswer, RegisterAnswer, SeatView } from '../../../libs/offices/index.js';
import type { PartnerRecord } from '../../../libs/partners/index.js';
import type { WorkplanResponse } from '../../../libs/workplans/index.js';
import { bodyOr, WebPages, type PageRequest } from '../web-pages.js';
import { BALLOT_STATUS_FILTERS, ballotPage, ballotsPage } from './ballots-page.js';
import { asOf } from './format.js';
import { officesPage, seatPage } from './offices-page.js';
import { partnerPage, partnersPage, type PartnersPageInput } from './partners-page.js';
import { workplanPage, workplansPage } from './workplans-page.js';

const path = (segment: string) => encodeURIComponent(segment);
const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/**
 * The registers, for anyone signed in: Partners, offices, workplan cycles and ballots, read from the API as the
 * signed-in person (the API decides what each role may see; a refusal is shown as its problem). Pages that only
 * show data: no form here changes anything, and every one is complete without JavaScript.
 */
@ApiExcludeController()
@Public()
@Controller('registers')
export class RegistersController {
  constructor(private readonly pages: WebPages) {}

  @Get()
  async index(@Req() request: Request, @Res() response: Response): Promise<void> {
    const context = await this.pages.signedIn(request, response);
    if (context) context.redirect('/registers/partners');
  }

  @Get('partners')
  async partners(@Req() request: Request, @Res() response: Response, @Query('at') rawAt: unknown, @Query('includeWithdrawn') rawWithdrawn: unknown): Promise<void> {
    const context = await this.pages.signedIn(request, response);
    if (!context) return;
    const { at, day, error } = asOf(rawAt);
    const includeWithdrawn = !at && rawWithdrawn === 'true';
    const answer = await context.api.get<PartnersPageInput['partners']>('/v1/partners', { at, ...(includeWithdrawn ? { includeWithdrawn: 'true' } : {}) });
    const partners = bodyOr(context, answer);
    if (!partners) return;
    context.render(at ? `Partners as of ${day}` : 'Partners', partnersPage({ partners, at, day, error, includeWithdrawn }), { status: error ? 400 : 200 });
  }

  @Get('partners/:partnerId')
  async partner(@Req() request: Request, @Res() response: Response, @Param('partnerId') partnerId: string): Promise<void> {
    const context = await this.pages.signedIn(request, response);
    if (!context) return;
    const partner = bodyOr(context, await context.api.get<PartnerRecord>(`/v1/partners/${path(partnerId)}`));
    if (partner) context.render(`${partner.name} (${partner.partnerId})`, partnerPage(partner));
  }

  @Get('offices')
  async offices(@Req() request: Request, @Res() response: Response, @Query('at') rawAt: unknown): Promise<void> {
    const context = await this.pages.signedIn(request, response);
    if (!context) return;
    const { at, day, error } = asOf(rawAt);
    const register = bodyOr(context, await context.api.get<RegisterAnswer>('/v1/offices', { at }));
    if (!register) return;
    const seats = await this.seats(context, register.offices.map((entry) => entry.seat), at);
    if (!seats) return;
    let expiries: ExpiriesAnswer | undefined;
    if (!at) {
      expiries = bodyOr(context, await context.api.get<ExpiriesAnswer>('/v1/offices/expiries', { within: '90d' }));
      if (!expiries) return;
    }
    context.render(at ? `Offices as of ${day}` : 'Offices', officesPage({ register, seats, expiries, day, error, past: at !== undefined }), { status: error ? 400 : 200 });
  }

  @Get('offices/:seat')
  async seat(@Req() request: Request, @Res() response: Response, @Param('seat') seatId: string, @Query('at') rawAt: unknown): Promise<void> {
    const context = await this.pages.signedIn(request, response);
    if (!context) return;
    const { at, day, error } = asOf(rawAt);
    const seat = bodyOr(context, await context.api.get<SeatView>(`/v1/offices/${path(seatId)}`, { at }));
    if (!seat) return;
    // "Now" is the server's: the register's answer says which instant it is (a test server's clock may stand still).
    const now = at ?? (await this.now(context));
    if (!now) return;
    context.render(seat.title, seatPage(seat, now, { day, error, past: at !== undefined }), { status: error ? 400 : 200 });
  }

  @Get('workplans')
  async workplans(@Req() request: Request, @Res() response: Response): Promise<void> {
    const context = await this.pages.signedIn(request, response);
    if (!context) return;
    const cycles = bodyOr(context, await context.api.get<WorkplanResponse[]>('/v1/workplans'));
    if (cycles) context.render('Workplans', workplansPage(cycles));
  }

  @Get('workplans/:cycle')
  async workplan(@Req() request: Request, @Res() response: Response, @Param('cycle') cycleId: string, @Query('at') rawAt: unknown): Promise<void> {
    const context = await this.pages.signedIn(request, response);
    if (!context) return;
    const { at, day, error } = asOf(rawAt);
    const cycle = bodyOr(context, await context.api.get<WorkplanResponse>(`/v1/workplans/${path(cycleId)}`, { at }));
    if (cycle) context.render(at ? `${cycle.title} as of ${day}` : cycle.title, workplanPage(cycle, { day, error, past: at !== undefined }), { status: error ? 400 : 200 });
  }

  @Get('ballots')
  async ballots(@Req() request: Request, @Res() response: Response, @Query('status') rawStatus: unknown): Promise<void> {
    const context = await this.pages.signedIn(request, response);
    if (!context) return;
    const status = (BALLOT_STATUS_FILTERS as readonly string[]).includes(text(rawStatus) ?? '') ? text(rawStatus) : undefined;
    const ballots = bodyOr(context, await context.api.get<BallotResponse[]>('/v1/ballots', { status }));
    if (ballots) context.render('Ballots', ballotsPage(ballots, status));
  }

  @Get('ballots/:ballotId')
  async ballot(@Req() request: Request, @Res() response: Response, @Param('ballotId') ballotId: string): Promise<void> {
    const context = await this.pages.signedIn(request, response);
    if (!context) return;
    const ballot = bodyOr(context, await context.api.get<BallotResponse>(`/v1/ballots/${path(ballotId)}`));
    if (ballot) context.render(`Ballot: ${ballot.subject.title}`, ballotPage(ballot), { ...(ballot.status === 'open' ? { refreshSeconds: 60 } : {}) });
  }

  /** Each seat's history as recorded up to `at` (or all of it), in the register's order. */
  private async seats(context: PageRequest, seats: string[], at: string | undefined): Promise<SeatView[] | undefined> {
    const answers = await Promise.all(seats.map((seat) => context.api.get<SeatView>(`/v1/offices/${path(seat)}`, { at })));
    const views: SeatView[] = [];
    for (const answer of answers) {
      const view = bodyOr(context, answer);
      if (!view) return undefined;
      views.push(view);
    }
    return views;
  }

  /** The server's "now", as the office register states it. */
  private async now(context: PageRequest): Promise<string | undefined> {
    return bodyOr(context, await context.api.get<RegisterAnswer>('/v1/offices'))?.at;
  }
}
