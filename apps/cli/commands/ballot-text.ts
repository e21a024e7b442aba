import type { BallotView } from '../../../libs/ballots/index.js';
import { describeRules } from '../../../state-machines/ballot/ballot.rules.js';

const CAUSES = { deadline: 'at the deadline', 'all-voted': 'when every Partner had voted', secretariat: 'by the Secretariat' } as const;

/** One line per ballot: id, status, deadline, subject. */
export function ballotListLines(ballots: readonly BallotView[]): string[] {
  const header = `${'ballot'.padEnd(36)}  ${'status'.padEnd(12)}  ${'closes'.padEnd(24)}  subject`;
  return [
    header,
    ...ballots.map(
      (ballot) => `${ballot.ballotId.padEnd(36)}  ${ballot.status.padEnd(12)}  ${(ballot.closesAt ?? '-').padEnd(24)}  ${ballot.subject.kind}: ${ballot.subject.title}`,
    ),
  ];
}

/** The whole ballot as an auditor sees it: frozen rules and electorate, every vote and change, and the tally table. */
export function ballotShowLines(view: BallotView): string[] {
  const subject = `${view.subject.kind}${view.subject.reference ? ` (${view.subject.reference})` : ''}: ${view.subject.title}`;
  const status = view.closed ? `${view.status} (closed ${view.closed.at} ${CAUSES[view.closed.cause]}${view.closed.reason ? `: ${view.closed.reason}` : ''})` : view.status;
  const lines = [
    `ballot ${view.ballotId}`,
    `  subject     ${subject}`,
    `  question    ${view.question}`,
    `  channel     ${view.channel}`,
    `  status      ${status}`,
  ];
  if (view.withdrawn) lines.push(`  withdrawn   ${view.withdrawn.at} by ${view.withdrawn.by}: ${view.withdrawn.reason}`);
  if (view.rules && view.rulesSource) {
    const source = view.rulesSource;
    const chosen = source.chosenBy === 'secretariat' ? `chosen by the Secretariat: ${source.reason}` : `default for ${source.subjectKind}`;
    lines.push(
      `  opened      ${view.opensAt} by ${view.openedBy}; closes ${view.closesAt}`,
      `  rules       ${describeRules(view.rules)}`,
      `              ${source.table} v${source.tableVersion}, ${chosen} (ToR ${source.clauses.join(', ')}); ToR version ${view.torVersion}`,
      `  electorate  ${view.electorate.length} Partners registered at ${view.electorateAsOf}`,
      '',
      ...voteTable(view),
    );
  }
  return lines;
}

function voteTable(view: BallotView): string[] {
  const rows = view.electorate.map((partnerId) => {
    const history = view.voteHistory.filter((vote) => vote.partnerId === partnerId);
    const last = history.at(-1);
    const earlier = history.slice(0, -1).map((vote) => vote.choice);
    const changes = earlier.length ? `changed from ${earlier.join(' → ')}` : '';
    return `  ${partnerId.padEnd(12)}  ${(last?.choice ?? '-').padEnd(8)}  ${(last ? `${last.at} by ${last.by}` : '(did not vote)').padEnd(44)}  ${changes}`.trimEnd();
  });
  const tally = view.decision?.tally;
  const counts = tally
    ? [
        '',
        `  ${'yes'.padStart(5)} ${'no'.padStart(5)} ${'abstain'.padStart(8)} ${'not voted'.padStart(10)}   quorum                               outcome`,
        `  ${String(tally.yes).padStart(5)} ${String(tally.no).padStart(5)} ${String(tally.abstain).padStart(8)} ${String(tally.notVoted.length).padStart(10)}   ` +
          `${`${tally.participating} taking part, ${tally.quorumRequired} needed (${tally.quorumMet ? 'met' : 'not met'})`.padEnd(36)} ${tally.outcome}`,
      ]
    : ['', `  turnout so far: ${Object.keys(view.current).length} of ${view.electorate.length} (running ballot: Partners see only the turnout)`];
  return [`  ${'partner'.padEnd(12)}  ${'vote'.padEnd(8)}  ${'cast'.padEnd(44)}  history`, ...rows, ...counts];
}
