import type { WorkplanResponse, WorkplanView } from '../../../libs/workplans/index.js';

/** One line per cycle: cycle, state, input deadline, counts. */
export function workplanListLines(views: readonly WorkplanView[]): string[] {
  return [
    `${'cycle'.padEnd(10)}  ${'state'.padEnd(16)}  ${'input deadline'.padEnd(24)}  inputs  rounds  ballot`,
    ...views.map(
      (view) =>
        `${view.cycle.padEnd(10)}  ${view.state.padEnd(16)}  ${view.inputDeadline.padEnd(24)}  ${String(view.inputs.length).padStart(6)}  ${String(view.rounds.length).padStart(6)}  ${view.ballots.at(-1)?.ballotId ?? '-'}`,
    ),
  ];
}

const capacity = (input: WorkplanView['inputs'][number]) =>
  input.capacity.kind === 'partner' ? `Partner ${input.capacity.partnerId}` : `${input.capacity.title} (term ${input.capacity.termNumber})`;

/** The whole cycle: inputs with capacities, each round with its review, the ballots, and what the caller may do. */
export function workplanShowLines(view: WorkplanView | WorkplanResponse): string[] {
  const lines = [
    `workplan ${view.cycle}: ${view.title}`,
    `  state           ${view.state}`,
    `  opened          ${view.openedAt} by ${view.openedBy}`,
    `  input deadline  ${view.inputDeadline}`,
  ];
  for (const reopening of view.reopenings) lines.push(`  reopened        ${reopening.at} by ${reopening.by} until ${reopening.inputDeadline}: ${reopening.reason}`);
  lines.push(`  inputs (${view.inputs.length})`);
  for (const input of view.inputs) lines.push(`    ${input.inputId}  ${input.at}  ${input.submittedBy}, ${capacity(input)}: ${input.title}`);
  for (const round of view.rounds) {
    lines.push(`  round ${round.round} (${round.version})  compiled ${round.compiledAt} by ${round.compiledBy}; sha256 ${round.contentHash}`);
    lines.push(`    taken     ${round.taken.join(', ') || '-'}`);
    for (const left of round.leftOut) lines.push(`    left out  ${left.inputId}: ${left.reason}`);
    if (round.review) {
      const { reviewer } = round.review;
      lines.push(`    review    ${round.review.decision} by ${reviewer.personId}, ${reviewer.title} (term ${reviewer.termNumber} until ${reviewer.termEnds}) at ${round.review.at}`);
      for (const comment of round.review.comments) lines.push(`      - ${comment}`);
    }
    if (round.presented) lines.push(`    presented ${round.presented.at} at ${round.presented.meeting}`);
  }
  for (const ballot of view.ballots) {
    const outcome = ballot.outcome ? `; ${ballot.outcome} (decided ${ballot.decidedAt})` : '';
    lines.push(`  ballot          ${ballot.ballotId} on channel ${ballot.channel}${ballot.channelReason ? ` (${ballot.channelReason})` : ''}, ${ballot.how} ${ballot.linkedAt}${outcome}`);
  }
  if ('allowed' in view) lines.push(`  allowed         ${view.allowed.join(', ') || '(nothing)'} (as of ${view.at})`);
  return lines;
}
