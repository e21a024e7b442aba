import type { Actor } from '../../envelope/index.js';
import type { CloseCause } from '../../../state-machines/ballot/ballot.events.js';
import { describeRules, type RuleSet } from '../../../state-machines/ballot/ballot.rules.js';
import type { BallotDossier, DossierVote } from './ballot-dossier.js';
import { DOSSIER_CSS } from './dossier.css.js';
import { html, join, trusted, type SafeHtml } from '../../html/index.js';
import { pathSummary, renderDiagramSvg, renderTransitionsTable } from './render-diagram.js';

/**
 * A decision dossier as one self-contained HTML file: inline CSS, an inline SVG, no script, no external asset.
 * Its Content-Security-Policy forbids scripts and any fetch, so even a copy saved to disk runs nothing.
 * Every value comes from the dossier (from stored events) and goes through the escaping `html` tag.
 */
export function renderBallotDossier(d: BallotDossier): string {
  const title = d.drafted?.data.subject.title ?? d.ballotId;
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="${d.engine.name} ${d.engine.version}">
<title>Decision dossier: ${title} (ballot ${d.ballotId})</title>
<style>${DOSSIER_CSS}</style>
</head>
<body>
<main>
${header(d, title)}
${contents()}
${subjectSection(d)}
${rulesSection(d)}
${votesSection(d)}
${outcomeSection(d)}
${pathSection(d)}
${chainSection(d)}
<footer>
<p>Made at ${time(d.generatedAt)} by ${d.engine.name} ${d.engine.version} from the ${d.events.length} events of stream <code>${d.stream}</code>, read
from the event store (not from any read model), and from the Partner register’s events for the Partners’ names. The recount, the
path and every hash were computed anew when this file was made. This file needs no network and runs no script.</p>
<p>Check it yourself: <code>u4ssc replay ${d.stream}</code> (the history), ${d.decisionAnchor ? html`<code>u4ssc verify --anchor ${d.decisionAnchor}</code> (the whole log, against this decision’s anchor)` : html`<code>u4ssc verify</code> (the whole log)`},
<code>u4ssc export --stream ${d.stream} --out ${d.stream}.jsonl</code> then <code>u4ssc verify --bundle ${d.stream}.jsonl</code> (offline).</p>
</footer>
</main>
</body>
</html>
`;
  return page.value;
}

// ----- small formatting helpers (all return escaped fragments) -----

/** `2026-05-04 09:00:00 UTC`, with the exact instant kept in `datetime`. */
export function time(iso: string | undefined): SafeHtml {
  if (!iso) return html`<span class="muted">(not recorded)</span>`;
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d+)?Z$/.exec(iso);
  const readable = match ? `${match[1]} ${match[2]}${match[3] && !/^\.0+$/.test(match[3]) ? match[3] : ''} UTC` : iso;
  return html`<time datetime="${iso}">${readable}</time>`;
}

function person(actor: Actor | undefined): SafeHtml {
  if (!actor) return html`<span class="muted">(not recorded)</span>`;
  return actor.name ? html`${actor.name} <span class="muted">(<code>${actor.id}</code>)</span>` : html`<code>${actor.id}</code>`;
}

function capacity(actor: Actor | undefined): SafeHtml {
  if (!actor) return html``;
  return html`as ${actor.role}${actor.org ? html`, for <code>${actor.org}</code>` : ''}`;
}

function partner(d: BallotDossier, partnerId: string): SafeHtml {
  const name = d.partnerNames[partnerId];
  return name ? html`<code>${partnerId}</code> ${name}` : html`<code>${partnerId}</code>`;
}

const yesNo = (value: boolean) => (value ? 'yes' : 'no');

const CLOSE_CAUSES: Record<CloseCause, string> = {
  deadline: 'at its deadline (issued by the scheduler)',
  'all-voted': 'early, because every Partner of the electorate had voted (the rules close early then)',
  secretariat: 'early, by the Secretariat, with a reason',
};

const THRESHOLDS: Record<RuleSet['threshold'], string> = {
  'simple-majority': 'more yes than no',
  'two-thirds': 'yes at least ⅔ of yes + no, with at least one yes',
  unanimity: 'at least one yes and no no (abstentions do not break it)',
  'no-objection': 'the silence procedure: adopted unless a Partner votes no',
};

function verdict(kind: 'ok' | 'bad' | 'info', headline: string, detail: SafeHtml | string): SafeHtml {
  return html`<li class="verdict ${kind}"><strong>${headline}</strong>${detail}</li>`;
}

// ----- sections -----

function header(d: BallotDossier, title: string): SafeHtml {
  const outcome = d.decided?.data.outcome ?? '(none recorded)';
  const stateIsDecided = d.path.refused === null && d.state === d.decided?.data.outcome;
  return html`<header>
<p class="kicker">U4SSC · Partners Board ballot (ToR ¶13(b), ¶19) · Decision dossier</p>
<h1>${title}</h1>
<p class="question">Question put: “${d.drafted?.data.question ?? '(not recorded)'}”</p>
<ul class="verdicts" aria-label="Summary">
${verdict('info', `Outcome recorded: ${outcome}`, html`<span>${d.decided ? html`at ${time(d.decided.at)}` : 'no BallotDecided event'}</span>`)}
${d.recount.matches
    ? verdict('ok', 'Recount matches', 'the outcome and tally recounted now from the events equal those recorded')
    : verdict('bad', 'Recount DOES NOT MATCH', d.recount.impossible ?? 'the recount made now differs from the recorded tally (section 4)')}
${d.chain.ok
    ? verdict('ok', 'This ballot’s chain verifies', `${d.chain.events} events: hashes, links, revisions, machine legality`)
    : verdict('bad', 'This ballot’s chain DOES NOT VERIFY', `first fault at revision ${d.chain.fault!.revision} (section 6)`)}
${d.log.ok
    ? verdict('ok', 'The whole log verifies', `${d.log.events} events in ${d.log.streams} streams`)
    : verdict('bad', 'The whole log DOES NOT VERIFY', `first fault at position ${d.log.fault!.position} (section 6)`)}
${stateIsDecided ? '' : verdict('bad', `Replayed state: ${d.state}`, 'the events do not lead the machine to the recorded outcome')}
</ul>
<dl class="facts">
<dt>Ballot</dt><dd><code>${d.ballotId}</code> (stream <code>${d.stream}</code>)</dd>
<dt>Machine</dt><dd><code>${d.machine.id}</code> version ${d.machine.version}, pinned by the stream’s first event</dd>
<dt>Dossier made</dt><dd>${time(d.generatedAt)} by ${d.engine.name} ${d.engine.version}</dd>
</dl>
</header>`;
}

function contents(): SafeHtml {
  const items: [string, string][] = [
    ['subject', '1. Subject, question and timeline'],
    ['rules', '2. Rules frozen at opening'],
    ['votes', '3. Electorate and votes'],
    ['outcome', '4. Outcome and recount'],
    ['path', '5. Path through the process'],
    ['chain', '6. Chain proof and anchors'],
  ];
  return html`<nav aria-label="Contents"><ol>${items.map(([id, label]) => html`<li><a href="#${id}">${label.replace(/^\d+\. /, '')}</a></li>`)}</ol></nav>`;
}

function subjectSection(d: BallotDossier): SafeHtml {
  const drafted = d.drafted;
  const opened = d.opened;
  const closed = d.closed;
  const subject = drafted?.data.subject;
  return html`<section id="subject" aria-labelledby="subject-h">
<h2 id="subject-h">1. Subject, question and timeline</h2>
<dl class="facts">
<dt>Subject</dt><dd>${subject ? html`<code>${subject.kind}</code>${subject.reference ? html` · reference <code>${subject.reference}</code>` : html` · <span class="muted">no reference</span>`} · ${subject.title}` : '(not recorded)'}</dd>
<dt>Question</dt><dd>${drafted?.data.question ?? '(not recorded)'}</dd>
<dt>Channel</dt><dd>${drafted?.data.channel === 'meeting' ? 'vote taken at a meeting (ToR ¶10(d), ¶23(e))' : drafted ? 'electronic, between Annual Meetings (ToR ¶13(b))' : '(not recorded)'}</dd>
<dt>Drafted</dt><dd>${drafted ? html`${time(drafted.at)} by ${person(drafted.by)} ${capacity(drafted.by)}` : '(not recorded)'}</dd>
<dt>Opened</dt><dd>${opened ? html`${time(opened.at)} by ${person(opened.by)} ${capacity(opened.by)}` : '(no BallotOpened event)'}</dd>
<dt>Deadline</dt><dd>${time(opened?.data.closesAt)}</dd>
<dt>Closed</dt><dd id="closed">${closed
    ? html`${time(closed.at)} by ${person(closed.by)} ${capacity(closed.by)}: ${CLOSE_CAUSES[closed.data.cause] ?? closed.data.cause}${closed.data.reason ? html`. Reason given: “${closed.data.reason}”` : ''}`
    : '(no BallotClosed event)'}</dd>
<dt>Outcome recorded</dt><dd>${d.decided ? html`<strong>${d.decided.data.outcome}</strong>, ${time(d.decided.at)}, by ${person(d.decided.by)} ${capacity(d.decided.by)}` : '(none)'}</dd>
</dl>
</section>`;
}

function rulesSection(d: BallotDossier): SafeHtml {
  const opened = d.opened;
  if (!opened) return html`<section id="rules" aria-labelledby="rules-h"><h2 id="rules-h">2. Rules frozen at opening</h2><p>No BallotOpened event is on record: no rules were frozen.</p></section>`;
  const { rules, rulesSource: source, torVersion } = opened.data;
  const electorate = opened.data.electorate.length;
  const required = d.recount.tally?.quorumRequired;
  const chosen =
    source.chosenBy === 'secretariat'
      ? html`<span class="tag">NON-DEFAULT</span> chosen by the Secretariat instead of the table’s default for <code>${source.subjectKind}</code>. Reason recorded: “${source.reason ?? '(none)'}”`
      : html`the table’s default for <code>${source.subjectKind}</code> (not chosen by hand)`;
  const rows: [string, SafeHtml | string][] = [
    ['Quorum', rules.quorum.numerator === 0 ? 'none' : html`${rules.quorum.numerator}/${rules.quorum.denominator} of the electorate${required !== undefined ? html` = at least ${required} of ${electorate} Partners taking part` : ''}`],
    ['Threshold', html`<code>${rules.threshold}</code>: ${THRESHOLDS[rules.threshold] ?? ''}`],
    ['Abstentions', rules.abstentionsCountTowardQuorum ? 'count toward the quorum (never as yes or no)' : 'do not count toward the quorum'],
    ['Vote changes allowed', rules.allowVoteChange ? 'yes: each change is a new event; the replaced vote stays on record' : 'no: one vote each'],
    ['Closes when all have voted', yesNo(rules.closeEarlyWhenAllVoted)],
    ['Secrecy while open', rules.revealTallyWhileOpen ? 'running counts shown to Partners while open' : 'running tally secret until the close (Partners saw the turnout only)'],
    ['Rule table', html`<code>${source.table}</code> version ${source.tableVersion}`],
    ['Rule set', chosen],
    ['ToR clauses for this kind', join(source.clauses, ', ')],
    ['ToR version', html`<code>${torVersion}</code>`],
  ];
  return html`<section id="rules" aria-labelledby="rules-h">
<h2 id="rules-h">2. Rules frozen at opening</h2>
<p>Copied into the opening event (revision ${opened.revision}) at ${time(opened.at)}: later changes to the defaults never alter this decision. In one line: ${describeRules(rules)}.</p>
<table class="rules"><caption>The rule set of this ballot</caption>
<thead><tr><th scope="col">Rule</th><th scope="col">Value</th></tr></thead>
<tbody>${rows.map(([name, value]) => html`<tr><th scope="row">${name}</th><td>${value}</td></tr>`)}</tbody></table>
</section>`;
}

function voteStatus(vote: DossierVote): SafeHtml {
  if (!vote.eligible) return html`<strong>not counted</strong>: outside the electorate`;
  if (vote.supersededBy) {
    return html`<span class="tag">SUPERSEDED</span> replaced by <strong>${vote.supersededBy.choice}</strong> at ${time(vote.supersededBy.at)} (revision ${vote.supersededBy.revision}); not counted`;
  }
  return html`<strong>counts</strong>`;
}

function votesSection(d: BallotDossier): SafeHtml {
  const opened = d.opened;
  const electorate = opened?.data.electorate ?? [];
  const counting = new Map(d.votes.filter((vote) => vote.counts).map((vote) => [vote.partnerId, vote]));
  const electorateRows = electorate.map((partnerId) => {
    const vote = counting.get(partnerId);
    return html`<tr><th scope="row"><code>${partnerId}</code></th><td>${d.partnerNames[partnerId] ?? html`<span class="muted">(no registration found)</span>`}</td><td>${vote ? html`<strong>${vote.choice}</strong>` : html`<em>did not vote</em>`}</td><td>${vote ? time(vote.at) : '—'}</td></tr>`;
  });
  const voteRows = d.votes.map((vote) => {
    const choice = vote.supersededBy ? html`<del>${vote.choice}</del>` : html`<strong>${vote.choice}</strong>`;
    const change = vote.type === 'VoteChanged' ? html` <span class="muted">(changed from ${vote.previousChoice})</span>` : '';
    return html`<tr id="vote-r${vote.revision}" class="${vote.supersededBy ? 'superseded' : 'counts'}"><td>${vote.revision}</td><td>${time(vote.at)}</td><th scope="row">${partner(d, vote.partnerId)}</th><td>${choice}${change}</td><td>${person(vote.by)}</td><td>${vote.by.role}</td><td>${vote.by.org ? html`<code>${vote.by.org}</code>` : '—'}</td><td>${voteStatus(vote)}</td></tr>`;
  });
  return html`<section id="votes" aria-labelledby="votes-h">
<h2 id="votes-h">3. Electorate and votes</h2>
${opened ? html`<p>The electorate was frozen at opening: the ${electorate.length} Partners registered at ${time(opened.data.electorateAsOf)} (ToR ¶12, ¶13). Names are as registered then, from the Partner register’s events.</p>` : html`<p>No electorate was frozen: no BallotOpened event is on record.</p>`}
<table class="electorate"><caption>Electorate (${electorate.length}) and the vote that counts for each</caption>
<thead><tr><th scope="col">Partner</th><th scope="col">Registered name</th><th scope="col">Vote that counts</th><th scope="col">Cast or last changed</th></tr></thead>
<tbody>${electorateRows}</tbody></table>
<h3>Every vote, in the order recorded (${d.votes.length})</h3>
<table class="votes"><caption>Each vote event with its time and the person who cast it; a vote replaced by a later change is struck through and marked superseded</caption>
<thead><tr><th scope="col">Revision</th><th scope="col">Time</th><th scope="col">For Partner</th><th scope="col">Vote</th><th scope="col">Cast by</th><th scope="col">Role</th><th scope="col">Organisation (token)</th><th scope="col">Status</th></tr></thead>
<tbody>${voteRows.length ? voteRows : html`<tr><td colspan="8">No vote was cast.</td></tr>`}</tbody></table>
<h3>Did not vote (${d.notVoted.length})</h3>
${d.notVoted.length
    ? html`<ul id="not-voted">${d.notVoted.map((partnerId) => html`<li>${partner(d, partnerId)}</li>`)}</ul>`
    : html`<p id="not-voted">Every Partner of the electorate voted.</p>`}
</section>`;
}

function outcomeSection(d: BallotDossier): SafeHtml {
  const { recount } = d;
  const statement = recount.matches
    ? html`<p class="statement ok" id="recount-verdict">Recount matches: the outcome <strong>${recount.tally!.outcome}</strong> and every figure of the recorded tally equal the recount made now.</p>`
    : html`<p class="statement bad" id="recount-verdict">Recount DOES NOT MATCH: ${recount.impossible ?? 'the recorded tally differs from the recount made now in the rows marked below'}.</p>`;
  const rows = recount.rows.map(
    (row) =>
      html`<tr class="${row.same ? 'same' : 'differs'}"><th scope="row">${row.field}</th><td>${row.recorded}</td><td>${row.recounted}</td><td>${row.same ? '✓ same' : html`<strong>✗ DIFFERENT</strong>`}</td></tr>`,
  );
  return html`<section id="outcome" aria-labelledby="outcome-h">
<h2 id="outcome-h">4. Outcome and recount</h2>
<p>The outcome as recorded in the <code>BallotDecided</code> event${d.decided ? html` (revision ${d.decided.revision})` : ''}, and a recount made now by the pure tally function
(<code>state-machines/ballot/ballot.tally.ts</code>) from the frozen electorate and rules and the vote events above, each Partner’s last vote counting.</p>
${statement}
${rows.length
    ? html`<table class="recount"><caption>Recorded tally against the recount</caption>
<thead><tr><th scope="col">Figure</th><th scope="col">Recorded</th><th scope="col">Recounted now</th><th scope="col">Same?</th></tr></thead>
<tbody>${rows}</tbody></table>`
    : ''}
</section>`;
}

function pathSection(d: BallotDossier): SafeHtml {
  const steps = d.path.steps.map(
    (step) => html`<li value="${step.revision}"><code>${step.event}</code>: ${step.from === step.to ? html`stays in ${step.to}` : html`${step.from} → <strong>${step.to}</strong>`}</li>`,
  );
  return html`<section id="path" aria-labelledby="path-h">
<h2 id="path-h">5. Path through the process</h2>
<p>${pathSummary(d.graph, d.path)}</p>
<figure>
${renderDiagramSvg(d.graph, d.path)}
<figcaption>The ${d.graph.machineId} machine version ${d.machine.version}. Dark box: where the ballot stands; light blue boxes: states it passed through; thick blue arrows: transitions taken, named with their events; grey dashed arrows: transitions not taken; double border: a final state. The table below says the same in words.</figcaption>
</figure>
<h3>Each event’s step, by revision</h3>
<ol class="path" start="0">${steps}</ol>
${d.path.refused ? html`<p class="statement bad">The machine refused ${d.path.refused.event} (revision ${d.path.refused.revision}) in state ${d.path.refused.state}: the history after it cannot be replayed.</p>` : ''}
${renderTransitionsTable(d.graph, d.path)}
</section>`;
}

function chainSection(d: BallotDossier): SafeHtml {
  const chain = d.chain;
  const streamStatement = chain.ok
    ? html`<p class="statement ok" id="chain-verdict">This ballot’s chain verifies: ${chain.events} events, each hash recomputed now over the event’s canonical envelope, each <code>prevHash</code> equal to the previous event’s hash (the first to 64 zeros), revisions 0 to ${chain.events - 1} without a gap, positions increasing, and every event a legal transition of its pinned machine.</p>`
    : html`<p class="statement bad" id="chain-verdict">This ballot’s chain DOES NOT VERIFY: ${chain.fault!.kind} fault at revision ${chain.fault!.revision} (position ${chain.fault!.position}, event <code>${chain.fault!.eventId}</code>): ${chain.fault!.detail}.</p>`;
  const faultRevision = chain.fault?.revision;
  const rows = d.events.map(
    (event) =>
      html`<tr id="event-r${event.revision}"${event.revision === faultRevision ? trusted(' class="differs"') : ''}><td>${event.revision}</td><td>${event.position}</td><th scope="row"><code>${event.type}</code></th><td>${time(event.occurredAt)}</td><td>${person(event.by)}<br><span class="muted">${event.by.role}${event.by.org ? ` · ${event.by.org}` : ''}</span></td><td>${join(event.clauses, ', ')}</td><td class="hash">${event.prevHash}</td><td class="hash">${event.hash}</td></tr>`,
  );
  const log = d.log;
  const logStatement = log.ok
    ? html`<p>The whole log verifies now: ${log.events} events in ${log.streams} streams, every one replayed through its machine. Its current head is event ${log.head?.seq ?? 0} (position ${log.head?.position ?? 0}).</p>`
    : html`<p class="statement bad">The whole log DOES NOT VERIFY: ${log.fault!.kind} fault in stream <code>${log.fault!.stream}</code> at revision ${log.fault!.revision} (position ${log.fault!.position}): ${log.fault!.detail}. No anchor is given for a log that does not verify.</p>`;
  const last = d.events.at(-1)!;
  return html`<section id="chain" aria-labelledby="chain-h">
<h2 id="chain-h">6. Chain proof and anchors</h2>
${streamStatement}
<table class="chain"><caption>Every event of stream <code>${d.stream}</code>: hash = SHA-256 of its canonical envelope and prevHash</caption>
<colgroup><col class="narrow"><col class="narrow"><col class="type"><col class="when"><col><col class="narrow"><col class="hash"><col class="hash"></colgroup>
<thead><tr><th scope="col">Revision</th><th scope="col">Position</th><th scope="col">Event</th><th scope="col">Time</th><th scope="col">Actor</th><th scope="col">ToR</th><th scope="col">prevHash</th><th scope="col">hash</th></tr></thead>
<tbody>${rows}</tbody></table>
<h3>Anchors</h3>
${logStatement}
<dl class="facts">
<dt>This decision’s anchor</dt><dd>${d.decisionAnchor
    ? html`<span class="anchor" id="decision-anchor">${d.decisionAnchor}</span><br>the ledger over the log up to this ballot’s last event (position ${last.position}); later events never change it`
    : html`<span class="muted">not given: the log does not verify</span>`}</dd>
<dt>The whole log’s anchor now</dt><dd>${log.anchor
    ? html`<span class="anchor" id="log-anchor">${log.anchor}</span><br>at ${time(d.generatedAt)}: compare with the anchor published in the minutes of a later meeting`
    : html`<span class="muted">not given: the log does not verify</span>`}</dd>
</dl>
<p>An anchor is <code>u4ssc-anchor:&lt;n&gt;:&lt;hex&gt;</code>: the first 32 hex digits of the ledger L<sub>n</sub> = SHA-256(L<sub>n−1</sub> ‖ hash<sub>n</sub>) over the log’s first n events in global order.
Whoever rewrote the database and recomputed every hash could not reproduce it: <code>u4ssc verify --anchor &lt;anchor&gt;</code> checks that the log still holds those exact events.</p>
</section>`;
}
