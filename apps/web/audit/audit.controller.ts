import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { CheckedAuditReport } from '../../../libs/audit/checkpointed-verify.js';
import type { HistoryEntry, ProcessReplay } from '../../../libs/audit/replay.js';
import { Public, type Role } from '../../../libs/auth/index.js';
import type { BallotResponse } from '../../../libs/ballots/ballot-visibility.js';
import { html, type SafeHtml } from '../../../libs/html/index.js';
import type { ProblemDocument } from '../../../libs/http/index.js';
import type { RegisterAnswer } from '../../../libs/offices/office-register.service.js';
import type { PartnerView } from '../../../libs/partners/partner.view.js';
import type { WorkplanResponse } from '../../../libs/workplans/workplans.queries.js';
import type { ApiAnswer } from '../api-client.js';
import { fieldMessages, problemSummary, renderFields } from '../forms.js';
import { instantText, utcFromLocalInput } from '../time.js';
import { WebPages, type PageRequest } from '../web-pages.js';
import { processPath, renderProcessPage } from './process-page.js';
import { renderVerifyStatus } from './verify-status.js';
import { renderVerificationKind } from './verification-kind.js';

/** As the API's audit endpoints: the full history names every person and every vote. */
const AUDITORS: Role[] = ['auditor', 'secretariat'];

type History = { stream: string; machine: ProcessReplay['machine']; state: string; events: HistoryEntry[] };

const first = (value: unknown): string | undefined => {
  const one = Array.isArray(value) ? value.at(-1) : value;
  return typeof one === 'string' && one.trim() !== '' ? one.trim() : undefined;
};

/**
 * The auditors' pages (issue #9): the verify status with the head anchor, the export bundle, every process to
 * open; a process's state, "as of" any instant, its path through its machine and its timeline; the ballot dossier.
 * Every figure comes from the API's audit endpoints (`/v1/audit/*`, `/v1/processes/*`, `/v1/ballots/{id}/dossier`).
 */
@ApiExcludeController()
@Public()
@Controller('audit')
export class AuditPagesController {
  constructor(private readonly pages: WebPages) {}

  @Get()
  async home(
    @Req() request: Request,
    @Res() response: Response,
    @Query('anchor') anchorQuery?: unknown,
    @Query('full') fullQuery?: unknown,
  ): Promise<void> {
    const context = await this.pages.signedIn(request, response, AUDITORS);
    if (!context) return;
    const anchor = first(anchorQuery);
    const full = first(fullQuery) === 'true' ? 'true' : undefined;
    let verified = await context.api.get<CheckedAuditReport>('/v1/audit/verify', { anchor, full });
    let anchorProblem: ProblemDocument | undefined;
    if (!verified.ok && verified.status === 400 && anchor !== undefined) {
      anchorProblem = verified.problem;
      verified = await context.api.get<CheckedAuditReport>('/v1/audit/verify', { full });
    }
    if (!verified.ok) return context.problem(verified.problem);
    const [partners, ballots, workplans, offices] = await Promise.all([
      context.api.get<PartnerView[]>('/v1/partners', { includeWithdrawn: 'true' }),
      context.api.get<BallotResponse[]>('/v1/ballots'),
      context.api.get<WorkplanResponse[]>('/v1/workplans'),
      context.api.get<RegisterAnswer>('/v1/offices'),
    ]);
    const anchorField = [{ name: 'anchor', label: 'A published anchor to check', hint: 'As minuted, e.g. u4ssc-anchor:42:3f1c0a9e5b7d2c4e8f6a1b3d5c7e9f0a.' }];
    const body = html`<section aria-labelledby="verify-heading">
<h2 id="verify-heading">Verify status</h2>
<p>The log checked now, event by event, from the last verified checkpoint (or from the start): each event’s hash and its link to the one before (the hash chain), the running hash over the log (the ledger, which the head anchor names), and each event replayed through its process’s pinned machine (machine legality).</p>
${renderVerificationKind(verified.body.verification)}
${renderVerifyStatus(verified.body)}
${problemSummary(anchorProblem, anchorField)}
<form method="get" action="/audit" class="stacked" novalidate>
  ${renderFields(anchorField, { anchor: anchor ?? '' }, anchorProblem)}
  <div class="actions"><button type="submit" class="secondary">Check the log against it</button></div>
</form>
</section>
<section aria-labelledby="export-heading">
<h2 id="export-heading">Export</h2>
<p><a class="button" href="/audit/export" download>Download the export bundle</a></p>
<p class="muted">The whole log as JSON Lines, the manifest first: check it offline, on any machine, with <code>u4ssc verify --bundle FILE</code>. Each process’s page offers the bundle of that process alone.</p>
</section>
<section aria-labelledby="processes-heading">
<h2 id="processes-heading">Processes</h2>
<p>Open any process to see its state and its timeline as of any instant, and the path it took through its machine.</p>
<form method="get" action="/audit/processes" class="stacked">
  <div class="field"><label for="open-stream">A stream by name</label><p class="hint" id="open-stream-hint">e.g. workplan-2027, ballot-…, partner-FAO, office-chair</p>
  <input id="open-stream" name="stream" required aria-describedby="open-stream-hint"></div>
  <div class="actions"><button type="submit" class="secondary">Open</button></div>
</form>
${processList('Workplan cycles', 'workplans', workplans, (list) =>
  list.map((w) => ({ stream: w.stream, label: `Workplan ${w.cycle}`, state: w.state, note: w.title })),
)}
${processList('Ballots', 'ballots', ballots, (list) =>
  list.map((b) => ({ stream: b.stream, label: b.subject.title, state: b.status, note: b.closed ? `closed ${instantText(b.closed.at)}` : b.closesAt ? `closes ${instantText(b.closesAt)}` : `ballot ${b.ballotId}` })),
)}
${processList('Offices', 'offices', offices, (answer) =>
  answer.offices.map((o) => ({ stream: `office-${o.seat}`, label: o.title, state: o.holder ? `held by ${o.holder.name}` : 'vacant', note: o.seat })),
)}
${processList('Partners', 'partners', partners, (list) =>
  list.map((p) => ({ stream: `partner-${p.partnerId}`, label: p.name, state: p.status, note: p.partnerId })),
)}
</section>`;
    context.render('Audit', body);
  }

  /** The export bundle, passed through as the API makes it (`?stream=` for one process). */
  @Get('export')
  async export(@Req() request: Request, @Res() response: Response, @Query('stream') stream?: unknown): Promise<void> {
    const context = await this.pages.signedIn(request, response, AUDITORS);
    if (!context) return;
    await download(context, '/v1/audit/export', { stream: first(stream) }, 'u4ssc-export.jsonl');
  }

  /** A decided ballot's dossier, as a file. */
  @Get('ballots/:ballotId/dossier')
  async dossier(@Req() request: Request, @Res() response: Response, @Param('ballotId') ballotId: string): Promise<void> {
    const context = await this.pages.signedIn(request, response, AUDITORS);
    if (!context) return;
    const safe = ballotId.replace(/[^A-Za-z0-9-]/g, '');
    await download(context, `/v1/ballots/${encodeURIComponent(ballotId)}/dossier`, {}, `u4ssc-dossier-ballot-${safe}.html`, true);
  }

  /** The "open a stream by name" form. */
  @Get('processes')
  async open(@Req() request: Request, @Res() response: Response, @Query('stream') stream?: unknown): Promise<void> {
    const context = await this.pages.signedIn(request, response, AUDITORS);
    if (!context) return;
    const name = first(stream);
    context.redirect(name === undefined ? '/audit' : processPath(name));
  }

  @Get('processes/:stream')
  async process(@Req() request: Request, @Res() response: Response, @Param('stream') stream: string, @Query('at') atQuery?: unknown): Promise<void> {
    const context = await this.pages.signedIn(request, response, AUDITORS);
    if (!context) return;
    const path = `/v1/processes/${encodeURIComponent(stream)}`;
    let at = utcFromLocalInput(atQuery);
    let atError: string | undefined;
    let [replay, history] = await Promise.all([context.api.get<ProcessReplay>(path, { at }), context.api.get<History>(`${path}/history`, { at })]);
    if (at !== undefined && !replay.ok && replay.status === 400) {
      // The instant was refused: say so on its field, and show the process as it stands now.
      atError = fieldMessages(replay.problem).get('at')?.join('; ') ?? replay.problem.detail ?? 'not an instant';
      at = undefined;
      [replay, history] = await Promise.all([context.api.get<ProcessReplay>(path), context.api.get<History>(`${path}/history`)]);
    }
    if (!replay.ok) return context.problem(replay.problem);
    if (!history.ok) return context.problem(history.problem);
    const all = at === undefined ? history : await context.api.get<History>(`${path}/history`);
    if (!all.ok) return context.problem(all.problem);
    const { title, body } = renderProcessPage({
      stream,
      replay: replay.body,
      history: history.body.events,
      all: all.body.events,
      ...(at !== undefined && { at: replay.body.asOf.at ?? at }),
      ...(atError !== undefined && { atError }),
    });
    context.render(title, body, { status: atError === undefined ? 200 : 400 });
  }
}

interface ProcessLink {
  stream: string;
  label: string;
  state: string;
  note?: string;
}

/** One register's processes as a table of links; a register the API refused is named, the others still shown. */
function processList<T>(heading: string, id: string, answer: ApiAnswer<T>, links: (body: T) => ProcessLink[]): SafeHtml {
  if (!answer.ok) return html`<h3 id="list-${id}">${heading}</h3><p class="problem">${answer.problem.title}: ${answer.problem.detail}</p>`;
  const rows = links(answer.body);
  return html`<h3 id="list-${id}">${heading}</h3>
${rows.length === 0
    ? html`<p class="muted">None recorded.</p>`
    : html`<div class="table-wrap"><table aria-labelledby="list-${id}">
<thead><tr><th scope="col">Process</th><th scope="col">Now</th><th scope="col">Stream</th></tr></thead>
<tbody>${rows.map((row) => html`<tr><th scope="row"><a href="${processPath(row.stream)}">${row.label}</a>${row.note ? html`<br><span class="muted">${row.note}</span>` : ''}</th><td>${row.state}</td><td class="mono">${row.stream}</td></tr>`)}</tbody>
</table></div>`}`;
}

/**
 * Passes a file from the API through to the browser: its type, its name (or `name`), and its security policy
 * (the dossier's forbids any script); the API's refusal becomes the problem page.
 */
async function download(context: PageRequest, path: string, query: Record<string, string | undefined>, name: string, attach = false): Promise<void> {
  const upstream = await context.api.fetch(path, query);
  if (!upstream.ok || upstream.body === null) {
    const text = await upstream.text();
    let problem: ProblemDocument;
    try {
      problem = JSON.parse(text) as ProblemDocument;
    } catch {
      problem = { type: 'about:blank', title: upstream.statusText || 'Error', status: upstream.status, detail: text.slice(0, 500) };
    }
    return context.problem(problem);
  }
  const { response } = context;
  response.status(200);
  response.setHeader('Content-Type', upstream.headers.get('content-type') ?? 'application/octet-stream');
  const disposition = upstream.headers.get('content-disposition');
  response.setHeader('Content-Disposition', disposition !== null && !attach ? disposition : `attachment; filename="${name}"`);
  response.setHeader('Cache-Control', 'no-store');
  response.setHeader('X-Content-Type-Options', 'nosniff');
  const policy = upstream.headers.get('content-security-policy');
  if (policy !== null) response.setHeader('Content-Security-Policy', policy);
  try {
    await pipeline(Readable.fromWeb(upstream.body as unknown as WebReadableStream), response);
  } catch {
    response.destroy(); // the browser went away, or the API's stream broke: the download is incomplete, and says so by ending
  }
}
