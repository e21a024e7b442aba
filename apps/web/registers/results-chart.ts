import { html, type SafeHtml } from '../../../libs/html/index.js';
import type { BallotResponse } from '../../../libs/ballots/index.js';
import type { RuleSet } from '../../../state-machines/ballot/ballot.rules.js';
import { weighCounts } from '../../../state-machines/ballot/ballot.tally.js';

/** The counts a chart can show: from the recorded decision once decided, else the counts the caller may see. */
export interface ResultFigures {
  eligible: number;
  yes: number;
  no: number;
  abstain: number;
  notVoted: number;
  /** Votes that count toward the quorum (abstentions too when the rules say so). */
  participating: number;
  quorumRequired: number;
  quorumMet: boolean;
  thresholdMet: boolean;
  /** The decided outcome, when recorded. */
  outcome?: string;
}

/** The figures of a ballot as this caller may see them, or undefined when its counts are secret to them now. */
export function resultFigures(ballot: BallotResponse): ResultFigures | undefined {
  const rules = ballot.rules;
  const tally = ballot.decision?.tally;
  if (tally) {
    return {
      eligible: tally.eligible.length,
      yes: tally.yes,
      no: tally.no,
      abstain: tally.abstain,
      notVoted: tally.notVoted.length,
      participating: tally.participating,
      quorumRequired: tally.quorumRequired,
      quorumMet: tally.quorumMet,
      thresholdMet: tally.thresholdMet,
      outcome: tally.outcome,
    };
  }
  if (!ballot.counts || !rules) return undefined;
  const { yes, no, abstain } = ballot.counts;
  const eligible = ballot.turnout.eligible;
  return {
    eligible,
    yes,
    no,
    abstain,
    notVoted: Math.max(0, eligible - ballot.turnout.voted),
    ...weighCounts(rules, eligible, { yes, no, abstain }),
  };
}

/** The threshold in words, as the frozen rules of the ballot state it (the ToR is silent on majorities: docs/architecture.md §2). */
export function thresholdText(threshold: RuleSet['threshold']): string {
  switch (threshold) {
    case 'simple-majority':
      return 'simple majority: more yes than no';
    case 'two-thirds':
      return 'two thirds: yes at least two thirds of yes and no, and at least one yes';
    case 'unanimity':
      return 'unanimity: at least one yes and no no (abstentions do not break it)';
    case 'no-objection':
      return 'no objection: adopted unless a Partner votes no';
  }
}

/** How many yes the threshold needs given the no votes cast (undefined when yes votes are not what decides). */
export function yesNeeded(threshold: RuleSet['threshold'], no: number): number | undefined {
  switch (threshold) {
    case 'simple-majority':
      return no + 1;
    case 'two-thirds':
      return Math.max(1, 2 * no);
    case 'unanimity':
      return no === 0 ? 1 : undefined;
    case 'no-objection':
      return undefined;
  }
}

const WIDTH = 520;
const LABEL = 170;
const RIGHT = 56;
const TOP = 28;
const ROW = 38;
const BAR = 22;

/**
 * The result as bars: yes, no, abstain, not voted, and the votes taking part for the quorum, each out of the
 * electorate, with the quorum and the yes the threshold needed marked. Inline SVG, `role="img"` with a name;
 * `resultsTable` gives the same figures.
 */
export function resultsChart(ballot: BallotResponse, figures: ResultFigures): SafeHtml {
  const rules = ballot.rules!;
  const scale = Math.max(1, figures.eligible);
  const plot = WIDTH - LABEL - RIGHT;
  const x = (count: number) => LABEL + (count / scale) * plot;
  const needed = yesNeeded(rules.threshold, figures.no);
  const rows: { label: string; count: number; tone: string; marker?: { at: number; text: string } }[] = [
    { label: 'Yes', count: figures.yes, tone: 'yes', ...(needed !== undefined && needed <= scale ? { marker: { at: needed, text: `${needed} needed` } } : {}) },
    { label: 'No', count: figures.no, tone: 'no' },
    { label: 'Abstain', count: figures.abstain, tone: 'abstain' },
    { label: 'Not voted', count: figures.notVoted, tone: 'not-voted' },
    {
      label: 'Taking part (quorum)',
      count: figures.participating,
      tone: 'participating',
      ...(figures.quorumRequired > 0 ? { marker: { at: figures.quorumRequired, text: `quorum ${figures.quorumRequired}` } } : {}),
    },
  ];
  const height = TOP + rows.length * ROW + 24;
  const outcome = figures.outcome ? ` Outcome: ${figures.outcome === 'failedQuorum' ? 'failed quorum' : figures.outcome}.` : '';
  const label = `Results of the ballot out of ${figures.eligible} eligible Partners: ${figures.yes} yes, ${figures.no} no, ${figures.abstain} abstain, ${figures.notVoted} not voted; ${figures.participating} taking part against a quorum of ${figures.quorumRequired}${needed !== undefined ? `; ${needed} yes needed under ${rules.threshold.replace('-', ' ')}` : `; threshold ${rules.threshold.replace('-', ' ')}`}.${outcome}`;
  const ticks = Array.from({ length: scale + 1 }, (_, n) => n).filter((n) => scale <= 20 || n % Math.ceil(scale / 10) === 0 || n === scale);
  return html`<figure class="chart">
<div class="chart-scroll" tabindex="0" role="region" aria-label="Results chart (scrolls sideways on a small screen)">
<svg class="results" role="img" aria-label="${label}" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">
<title>${label}</title>
${ticks.map((n) => html`<line x1="${x(n).toFixed(1)}" y1="${TOP - 6}" x2="${x(n).toFixed(1)}" y2="${height - 20}" class="grid"/><text x="${x(n).toFixed(1)}" y="${height - 6}" class="axis" text-anchor="middle">${n}</text>`)}
${rows.map((row, index) => {
    const y = TOP + index * ROW;
    const end = x(row.count);
    return html`<g>
<text x="${LABEL - 10}" y="${y + BAR - 6}" class="seat" text-anchor="end">${row.label}</text>
<rect x="${LABEL}" y="${y}" width="${Math.max(0, end - LABEL).toFixed(1)}" height="${BAR}" class="bar ${row.tone}"/>
<text x="${(end + 6).toFixed(1)}" y="${y + BAR - 6}" class="count">${row.count}</text>
${row.marker
  ? html`<line x1="${x(row.marker.at).toFixed(1)}" y1="${y - 4}" x2="${x(row.marker.at).toFixed(1)}" y2="${y + BAR + 4}" class="threshold"/><text x="${(x(row.marker.at) + 4).toFixed(1)}" y="${y - 6}" class="marker-label">${row.marker.text}</text>`
  : ''}
</g>`;
  })}
</svg>
</div>
<figcaption class="muted">Bars count Partners out of the ${figures.eligible} in the electorate frozen at the opening. Dashed lines: the quorum and the yes votes the threshold needed.</figcaption>
</figure>`;
}

/** The chart's figures as a table, with what the rules required and whether it was met. */
export function resultsTable(ballot: BallotResponse, figures: ResultFigures): SafeHtml {
  const rules = ballot.rules!;
  const share = (count: number) => (figures.eligible === 0 ? '—' : `${Math.round((count / figures.eligible) * 100)}%`);
  const met = (ok: boolean) => (ok ? html`<span class="badge ok">met</span>` : html`<span class="badge bad">not met</span>`);
  return html`<div class="table-wrap"><table aria-labelledby="result-heading">
<thead><tr><th scope="col">Count</th><th scope="col">Partners</th><th scope="col">Share of the electorate</th></tr></thead>
<tbody>
<tr><th scope="row">Yes</th><td>${figures.yes}</td><td>${share(figures.yes)}</td></tr>
<tr><th scope="row">No</th><td>${figures.no}</td><td>${share(figures.no)}</td></tr>
<tr><th scope="row">Abstain</th><td>${figures.abstain}</td><td>${share(figures.abstain)}</td></tr>
<tr><th scope="row">Not voted</th><td>${figures.notVoted}</td><td>${share(figures.notVoted)}</td></tr>
<tr><th scope="row">Taking part for the quorum${rules.abstentionsCountTowardQuorum ? ' (abstentions count)' : ' (abstentions do not count)'}</th><td>${figures.participating}</td><td>${share(figures.participating)}</td></tr>
<tr><th scope="row">Quorum required (${rules.quorum.numerator}/${rules.quorum.denominator} of ${figures.eligible})</th><td>${figures.quorumRequired}</td><td>${met(figures.quorumMet)}</td></tr>
<tr><th scope="row">Threshold: ${thresholdText(rules.threshold)}</th><td>${yesNeeded(rules.threshold, figures.no) !== undefined ? html`${yesNeeded(rules.threshold, figures.no)} yes needed` : html`no “no” allowed`}</td><td>${met(figures.thresholdMet)}</td></tr>
</tbody>
</table></div>`;
}
