import { html, type SafeHtml } from '../../../libs/html/index.js';
import type { ProblemDocument } from '../../../libs/http/index.js';
import type { ApiClient } from '../api-client.js';
import { dayElement, instantElement, relativeText } from '../time.js';
import { turnoutBar } from '../vote/turnout-bar.js';
import { OFFICE_STEP_EVENTS, OFFICE_STEP_LABELS, OFFICE_STEPS, SEAT_HINT, type OfficeStep } from './office-forms.js';
import { WORKPLAN_STEP_LABELS, WORKPLAN_STEPS, type WorkplanStep } from './workplan-forms.js';

/** The parts of the API's answers the dashboard shows. */
export interface BallotSummary {
  ballotId: string;
  status: string;
  subject: { kind: string; title: string; reference?: string };
  question: string;
  channel: string;
  opensAt?: string;
  closesAt?: string;
  turnout: { voted: number; eligible: number };
  closed?: { at: string; cause: string };
  decision?: { at: string; outcome: string };
  withdrawn?: { at: string; reason: string };
}

interface WorkplanSummary {
  cycle: string;
  title: string;
  state: string;
  inputDeadline: string;
  inputs: unknown[];
  allowed: string[];
}

interface Expiry {
  seat: string;
  title: string;
  holder: { personId: string; name: string };
  end: string;
  renewalDueAt: string;
  renewalDue: boolean;
  renewed: boolean;
  daysLeft: number;
}

interface PartnerSummary {
  partnerId: string;
  name: string;
  status: string;
  /** The API's list answers each Partner's latest period, not its whole history. */
  latestPeriod: { from: string; to: string | null };
}

/** What the processes endpoint answers about a stream's next steps (GET /v1/processes/:stream). */
export interface ProcessNext {
  exists: boolean;
  state?: string;
  events: string[];
}

/** The events a process may take next, as the API lists them; a stream not begun yet has none listed. */
export async function nextEvents(api: ApiClient, stream: string): Promise<ProcessNext | { problem: ProblemDocument }> {
  const answer = await api.get<{ state: string; next: { event: string }[] }>(`/v1/processes/${encodeURIComponent(stream)}`);
  if (answer.ok) return { exists: true, state: answer.body.state, events: [...new Set(answer.body.next.map((step) => step.event))] };
  if (answer.status === 404) return { exists: false, events: [] };
  return { problem: answer.problem };
}

/** Steps a seat may take now: the seat's process lists their events; a seat never filled may be nominated or appointed. */
export function officeStepsAllowed(next: ProcessNext): OfficeStep[] {
  if (!next.exists) return ['nominations', 'appointments'];
  return OFFICE_STEPS.filter((step) => next.events.includes(OFFICE_STEP_EVENTS[step]));
}

const SOON_MS = 48 * 3_600_000;
export const REFRESH_SECONDS = 30;

const STATUS_LABELS: Record<string, string> = {
  open: 'Open',
  closed: 'Closed, counting',
  approved: 'Approved',
  rejected: 'Rejected',
  failedQuorum: 'Failed quorum',
  withdrawn: 'Withdrawn',
  draft: 'Draft',
};

function statusBadge(status: string): SafeHtml {
  const tone = status === 'approved' || status === 'open' ? 'ok' : status === 'rejected' || status === 'failedQuorum' ? 'bad' : 'warn';
  return html`<span class="badge ${tone}">${STATUS_LABELS[status] ?? status}</span>`;
}

/** The turnout: the voting pages' bar, and the numbers beside it for everyone. */
function turnout(voted: number, eligible: number): SafeHtml {
  return html`${turnoutBar(voted, eligible)}
<span>${voted} of ${eligible} (${eligible === 0 ? 0 : Math.round((voted / eligible) * 100)}%)</span>`;
}

/** The data behind the dashboard, read through the API as the signed-in Secretariat member. */
export interface DashboardData {
  now: number;
  ballots: BallotSummary[] | string;
  ballotSteps: Map<string, string[]>;
  workplans: WorkplanSummary[] | string;
  expiries: { withinDays: number; expiries: Expiry[] } | string;
  officeSteps: Map<string, OfficeStep[]>;
  partners: PartnerSummary[] | string;
}

const unreadable = (what: string, detail: string) => `The ${what} could not be read: ${detail}`;

export async function loadDashboard(api: ApiClient): Promise<DashboardData> {
  const [ballots, workplans, expiries, partners] = await Promise.all([
    api.get<BallotSummary[]>('/v1/ballots'),
    api.get<WorkplanSummary[]>('/v1/workplans'),
    api.get<{ withinDays: number; expiries: Expiry[] }>('/v1/offices/expiries', { within: '90d' }),
    api.get<PartnerSummary[]>('/v1/partners'),
  ]);
  const open = ballots.ok ? ballots.body.filter((ballot) => ballot.status === 'open' || ballot.status === 'draft') : [];
  const seats = expiries.ok ? expiries.body.expiries.map((expiry) => expiry.seat) : [];
  const [ballotNext, seatNext] = await Promise.all([
    Promise.all(open.map((ballot) => nextEvents(api, `ballot-${ballot.ballotId}`))),
    Promise.all(seats.map((seat) => nextEvents(api, `office-${seat}`))),
  ]);
  return {
    now: Date.now(),
    ballots: ballots.ok ? ballots.body : unreadable('ballots', ballots.problem.detail),
    ballotSteps: new Map(open.map((ballot, i) => [ballot.ballotId, 'events' in ballotNext[i]! ? (ballotNext[i] as ProcessNext).events : []])),
    workplans: workplans.ok ? workplans.body : unreadable('workplan cycles', workplans.problem.detail),
    expiries: expiries.ok ? expiries.body : unreadable('office terms', expiries.problem.detail),
    officeSteps: new Map(seats.map((seat, i) => [seat, 'events' in seatNext[i]! ? officeStepsAllowed(seatNext[i] as ProcessNext) : []])),
    partners: partners.ok ? partners.body : unreadable('Partner register', partners.problem.detail),
  };
}

function ballotsSection(data: DashboardData): SafeHtml {
  if (typeof data.ballots === 'string') return html`<p class="problem">${data.ballots}</p>`;
  const open = data.ballots
    .filter((ballot) => ballot.status === 'open')
    .sort((a, b) => (a.closesAt ?? '').localeCompare(b.closesAt ?? ''));
  const ended = data.ballots
    .filter((ballot) => ballot.status !== 'open' && ballot.status !== 'draft')
    .sort((a, b) => endedAt(b).localeCompare(endedAt(a)))
    .slice(0, 5);
  const actions = (ballot: BallotSummary) => {
    const events = data.ballotSteps.get(ballot.ballotId) ?? [];
    const id = encodeURIComponent(ballot.ballotId);
    return html`${events.includes('BallotClosed') ? html`<a href="/secretariat/ballots/${id}/close">Close early<span class="visually-hidden"> “${ballot.subject.title}”</span></a>` : ''}
${events.includes('BallotWithdrawn') ? html` · <a href="/secretariat/ballots/${id}/withdraw">Withdraw<span class="visually-hidden"> “${ballot.subject.title}”</span></a>` : ''}`;
  };
  return html`<p><a class="button" href="/secretariat/ballots/new">Open a ballot</a></p>
${open.length === 0
  ? html`<p>No ballot is open.</p>`
  : html`<div class="table-wrap"><table class="stack">
<caption class="visually-hidden">Open ballots, closing soonest first</caption>
<thead><tr><th scope="col">Question</th><th scope="col">Deadline</th><th scope="col">Turnout</th><th scope="col">Next steps</th></tr></thead>
<tbody>${open.map((ballot) => {
      const soon = ballot.closesAt !== undefined && new Date(ballot.closesAt).getTime() - data.now < SOON_MS;
      return html`<tr id="ballot-${ballot.ballotId}" data-ballot="${ballot.ballotId}">
<td data-label="Question"><strong><a href="/registers/ballots/${encodeURIComponent(ballot.ballotId)}">${ballot.subject.title}</a></strong><br>${ballot.question}<br><span class="muted">${ballot.channel === 'meeting' ? 'At the Annual Meeting' : 'Electronic'} · ${ballot.ballotId}</span></td>
<td data-label="Deadline">${instantElement(ballot.closesAt)}${ballot.closesAt === undefined ? '' : html`<br>${soon ? html`<span class="badge warn">Closes ${relativeText(ballot.closesAt, data.now)}</span>` : html`<span class="muted">closes ${relativeText(ballot.closesAt, data.now)}</span>`}`}</td>
<td data-label="Turnout">${turnout(ballot.turnout.voted, ballot.turnout.eligible)}</td>
<td data-label="Next steps">${actions(ballot)}</td>
</tr>`;
    })}</tbody></table></div>`}
<h3>Recently closed or withdrawn</h3>
${ended.length === 0
  ? html`<p>None yet.</p>`
  : html`<div class="table-wrap"><table class="stack">
<caption class="visually-hidden">Ballots closed or withdrawn, most recent first</caption>
<thead><tr><th scope="col">Question</th><th scope="col">Status</th><th scope="col">Ended</th><th scope="col">Turnout</th></tr></thead>
<tbody>${ended.map((ballot) => html`<tr id="ballot-${ballot.ballotId}" data-ballot="${ballot.ballotId}">
<td data-label="Question"><strong><a href="/registers/ballots/${encodeURIComponent(ballot.ballotId)}">${ballot.subject.title}</a></strong><br>${ballot.question}</td>
<td data-label="Status">${statusBadge(ballot.status)}${ballot.closed ? html`<br><span class="muted">${ballot.closed.cause === 'deadline' ? 'closed at its deadline' : ballot.closed.cause === 'secretariat' ? 'closed early by the Secretariat' : 'closed when every Partner had voted'}</span>` : ''}</td>
<td data-label="Ended">${instantElement(endedAt(ballot))}</td>
<td data-label="Turnout">${ballot.turnout.voted} of ${ballot.turnout.eligible}</td>
</tr>`)}</tbody></table></div>`}`;
}

function endedAt(ballot: BallotSummary): string {
  return ballot.decision?.at ?? ballot.closed?.at ?? ballot.withdrawn?.at ?? ballot.closesAt ?? '';
}

function workplansSection(data: DashboardData): SafeHtml {
  if (typeof data.workplans === 'string') return html`<p class="problem">${data.workplans}</p>`;
  const cycles = [...data.workplans].sort((a, b) => b.cycle.localeCompare(a.cycle));
  return html`<p><a class="button" href="/secretariat/workplans/new">Open a workplan cycle</a></p>
${cycles.length === 0
  ? html`<p>No workplan cycle is on record.</p>`
  : html`<div class="table-wrap"><table class="stack">
<caption class="visually-hidden">Workplan cycles and the steps the API allows next</caption>
<thead><tr><th scope="col">Cycle</th><th scope="col">State</th><th scope="col">Inputs</th><th scope="col">Next steps for you</th></tr></thead>
<tbody>${cycles.map((cycle) => {
      const steps = WORKPLAN_STEPS.filter((step) => cycle.allowed.includes(step));
      return html`<tr id="workplan-${cycle.cycle}">
<td data-label="Cycle"><strong><a href="/registers/workplans/${encodeURIComponent(cycle.cycle)}">${cycle.title}</a></strong><br><span class="muted">${cycle.cycle}</span></td>
<td data-label="State"><span class="badge">${cycle.state}</span></td>
<td data-label="Inputs">${cycle.inputs.length} received; deadline ${instantElement(cycle.inputDeadline)}</td>
<td data-label="Next steps for you">${steps.length === 0
        ? html`<span class="muted">Nothing for the Secretariat now</span>`
        : html`<ul>${steps.map((step: WorkplanStep) => html`<li><a href="/secretariat/workplans/${encodeURIComponent(cycle.cycle)}/${step}">${WORKPLAN_STEP_LABELS[step]}<span class="visually-hidden"> (${cycle.cycle})</span></a></li>`)}</ul>`}</td>
</tr>`;
    })}</tbody></table></div>`}`;
}

function officesSection(data: DashboardData): SafeHtml {
  const seatForm = html`<form method="get" action="/secretariat/offices" class="card">
<p><strong>Record a step for any seat</strong> (a nomination or an appointment for a vacant seat, for instance).</p>
<div class="field"><label for="seat-id">Seat</label><p class="hint" id="seat-id-hint">${SEAT_HINT}</p><input id="seat-id" name="seat" required aria-describedby="seat-id-hint"></div>
<div class="field"><label for="seat-step">Step</label><select id="seat-step" name="step">${OFFICE_STEPS.map((step) => html`<option value="${step}">${OFFICE_STEP_LABELS[step]}</option>`)}</select></div>
<div class="actions"><button type="submit" class="secondary">Open the form</button></div>
</form>`;
  if (typeof data.expiries === 'string') return html`<p class="problem">${data.expiries}</p>${seatForm}`;
  const expiries = [...data.expiries.expiries].sort((a, b) => a.end.localeCompare(b.end));
  return html`<p>Terms ending within ${data.expiries.withinDays} days. A tenure is two years; it may be renewed, or a new holder appointed (ToR ¶28).</p>
${expiries.length === 0
  ? html`<p>No term ends within ${data.expiries.withinDays} days.</p>`
  : html`<div class="table-wrap"><table class="stack">
<caption class="visually-hidden">Office terms ending soon</caption>
<thead><tr><th scope="col">Seat</th><th scope="col">Holder</th><th scope="col">Term ends</th><th scope="col">Renewal</th><th scope="col">Next steps</th></tr></thead>
<tbody>${expiries.map((expiry) => {
      const steps = data.officeSteps.get(expiry.seat) ?? [];
      return html`<tr id="office-${expiry.seat}">
<td data-label="Seat"><a href="/registers/offices/${encodeURIComponent(expiry.seat)}">${expiry.title}</a></td>
<td data-label="Holder">${expiry.holder.name}</td>
<td data-label="Term ends">${dayElement(expiry.end)}<br><span class="muted">${expiry.daysLeft} days left</span></td>
<td data-label="Renewal">${expiry.renewed ? html`<span class="badge ok">Renewed</span>` : expiry.renewalDue ? html`<span class="badge warn">Renewal due</span>` : html`<span class="muted">due from ${dayElement(expiry.renewalDueAt)}</span>`}</td>
<td data-label="Next steps">${steps.length === 0 ? html`<span class="muted">—</span>` : html`<ul>${steps.map((step) => html`<li><a href="/secretariat/offices/${encodeURIComponent(expiry.seat)}/${step}">${OFFICE_STEP_LABELS[step]}<span class="visually-hidden"> (${expiry.title})</span></a></li>`)}</ul>`}</td>
</tr>`;
    })}</tbody></table></div>`}
${seatForm}`;
}

function partnersSection(data: DashboardData): SafeHtml {
  if (typeof data.partners === 'string') return html`<p class="problem">${data.partners}</p>`;
  const since = (partner: PartnerSummary) => partner.latestPeriod.from;
  const recent = [...data.partners].sort((a, b) => since(b).localeCompare(since(a))).slice(0, 5);
  return html`<p>${data.partners.length} Partners are registered now (ToR ¶12, Annex II). <a href="/registers/partners">The whole register</a>.</p>
<p><a class="button" href="/secretariat/partners/new">Register a Partner</a></p>
${recent.length === 0
  ? html`<p>No Partner is registered yet.</p>`
  : html`<div class="table-wrap"><table class="stack">
<caption class="visually-hidden">Partners registered most recently</caption>
<thead><tr><th scope="col">Partner</th><th scope="col">Registered</th><th scope="col">Next steps</th></tr></thead>
<tbody>${recent.map((partner) => html`<tr>
<td data-label="Partner"><strong><a href="/registers/partners/${encodeURIComponent(partner.partnerId)}">${partner.partnerId}</a></strong> · ${partner.name}</td>
<td data-label="Registered">${dayElement(since(partner))}</td>
<td data-label="Next steps"><a href="/secretariat/partners/${encodeURIComponent(partner.partnerId)}/withdraw">Record a withdrawal<span class="visually-hidden"> of ${partner.partnerId}</span></a></td>
</tr>`)}</tbody></table></div>`}`;
}

function summary(data: DashboardData): SafeHtml {
  const open = typeof data.ballots === 'string' ? [] : data.ballots.filter((ballot) => ballot.status === 'open');
  const soon = open.filter((ballot) => ballot.closesAt !== undefined && new Date(ballot.closesAt).getTime() - data.now < SOON_MS);
  const steps = typeof data.workplans === 'string' ? 0 : data.workplans.reduce((n, cycle) => n + WORKPLAN_STEPS.filter((step) => cycle.allowed.includes(step)).length, 0);
  const due = typeof data.expiries === 'string' ? [] : data.expiries.expiries.filter((expiry) => !expiry.renewed);
  return html`<ul class="cards summary" aria-label="What needs action">
<li class="card"><a href="#ballots"><strong>${open.length}</strong> ${open.length === 1 ? 'ballot' : 'ballots'} open</a>${soon.length > 0 ? html`, <strong>${soon.length}</strong> closing within 48 hours` : ''}</li>
<li class="card"><a href="#workplans"><strong>${steps}</strong> workplan ${steps === 1 ? 'step' : 'steps'}</a> you may take</li>
<li class="card"><a href="#offices"><strong>${due.length}</strong> ${due.length === 1 ? 'term ends' : 'terms end'}</a> within 90 days, not renewed</li>
</ul>`;
}

export function renderDashboard(data: DashboardData): SafeHtml {
  return html`<p class="muted">As of ${instantElement(new Date(data.now).toISOString())}. This page reloads itself every ${REFRESH_SECONDS} seconds while it is open
(paused while you type in a field); without JavaScript, reload it to see the latest.</p>
${summary(data)}
<section aria-labelledby="ballots"><h2 id="ballots">Ballots</h2>${ballotsSection(data)}</section>
<section aria-labelledby="workplans"><h2 id="workplans">Workplan cycles</h2>${workplansSection(data)}</section>
<section aria-labelledby="offices"><h2 id="offices">Offices</h2>${officesSection(data)}</section>
<section aria-labelledby="partners"><h2 id="partners">Partners</h2>${partnersSection(data)}</section>`;
}
