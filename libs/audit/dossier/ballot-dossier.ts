import type { Actor, MachineRef, StoredEvent } from '../../envelope/index.js';
import { verifyLog, type VerifyReport } from '../../envelope/index.js';
import { NotFoundError } from '../../errors/index.js';
import { readAllEvents, type EventStore } from '../../event-store/index.js';
import { ballotIdOf, ballotStream } from '../../ballots/ballot.process.js';
import { partnerStream } from '../../partners/partner.process.js';
import type {
  BallotClosedData,
  BallotDecidedData,
  BallotDraftedData,
  BallotOpenedData,
  Choice,
  VoteChangedData,
} from '../../../state-machines/ballot/ballot.events.js';
import type { PartnerRegisteredData } from '../../../state-machines/partner/partner.events.js';
import { sameTally, tally, type BallotTally } from '../../../state-machines/ballot/ballot.tally.js';
import { engineVersion } from '../engine-version.js';
import { machineLegality } from '../machine-legality.js';
import { PROCESS_REGISTRY, type ProcessRegistry } from '../process-registry.js';
import { UnknownProcessError } from '../replay.js';
import { verifyStore, type AuditReport } from '../verify-store.js';
import { machineGraph, takenPath, type MachineGraph, type TakenPath } from './machine-graph.js';

/** The states in which a ballot's outcome is on record: a dossier is the record of a decision. */
export const DECIDED_STATES = ['approved', 'rejected', 'failedQuorum'] as const;

/**
 * The ballot has no decision on record (draft, open, closed without its count, withdrawn). A dossier made
 * while the ballot runs would show every vote to the Secretariat, which may close it early and so must not see
 * the running tally (README "Who sees what"): it is refused rather than marked provisional.
 */
export class BallotNotDecidedError extends Error {
  override readonly name = 'BallotNotDecidedError';
  constructor(
    readonly ballotId: string,
    readonly state: string,
  ) {
    super(
      state === 'withdrawn'
        ? `ballot "${ballotId}" is withdrawn: it was withdrawn before its close and no decision was taken, so there is no dossier; its history stays (u4ssc replay ballot-${ballotId})`
        : `ballot "${ballotId}" is ${state}: it has no decision on record yet, so there is no dossier`,
    );
  }
}

/** One recorded step: when, by whom, in what capacity. */
export interface Recorded<D> {
  at: string;
  by: Actor;
  revision: number;
  position: number;
  data: D;
}

export interface DossierVote {
  type: 'VoteCast' | 'VoteChanged';
  revision: number;
  position: number;
  at: string;
  by: Actor;
  partnerId: string;
  choice: Choice;
  previousChoice?: Choice;
  /** The later change that replaced this vote: it stays in the record, and no longer counts. */
  supersededBy?: { revision: number; at: string; choice: Choice };
  /** Whether this is the Partner's last vote, the one the tally counts. */
  counts: boolean;
  /** Whether the voter was in the electorate frozen at opening (the machine refuses anyone else). */
  eligible: boolean;
}

export interface RecountRow {
  field: string;
  recorded: string;
  recounted: string;
  same: boolean;
}

export interface DossierEvent {
  position: number;
  revision: number;
  id: string;
  type: string;
  occurredAt: string;
  by: Actor;
  clauses: string[];
  torVersion: string;
  prevHash: string;
  hash: string;
}

export interface BallotDossier {
  ballotId: string;
  stream: string;
  generatedAt: string;
  engine: { name: string; version: string };
  machine: MachineRef;
  /** The state the events lead to through the pinned machine. */
  state: string;
  drafted?: Recorded<BallotDraftedData>;
  opened?: Recorded<BallotOpenedData>;
  closed?: Recorded<BallotClosedData>;
  decided?: Recorded<BallotDecidedData>;
  /** Registered names of the Partners of the electorate, from the Partner register's events as at the opening. */
  partnerNames: Record<string, string>;
  votes: DossierVote[];
  /** The electorate's Partners without a vote on record, from the vote events. */
  notVoted: string[];
  recount: {
    /** The recount made now by the pure tally function from the frozen electorate and rules and the votes. */
    tally: BallotTally | null;
    /** Why no recount could be made (no opening on record, malformed rules). */
    impossible?: string;
    rows: RecountRow[];
    matches: boolean;
  };
  graph: MachineGraph;
  path: TakenPath;
  events: DossierEvent[];
  /** This stream's chain (hashes, links, revisions) and machine legality, recomputed now. */
  chain: VerifyReport;
  /** The whole log verified now, with its current anchor. */
  log: AuditReport;
  /** The ledger's anchor at this ballot's last event: once published, it checks this decision for good. */
  decisionAnchor: string | null;
}

export interface DossierOptions {
  now: Date;
  registry?: ProcessRegistry;
}

/**
 * Everything a decision dossier shows, from the ballot's own events read through the event store (never the read
 * model): the subject, the frozen rules and electorate, every vote with its actor, the outcome as recorded and an
 * independent recount, the path through the machine, and the chain proof with the log's anchors.
 * Throws NotFoundError for an unknown ballot and BallotNotDecidedError when no decision is on record. A stream
 * that does not verify still gets its dossier, saying so: an auditor needs it most then.
 */
export async function buildBallotDossier(store: EventStore, ballotIdOrStream: string, options: DossierOptions): Promise<BallotDossier> {
  const ballotId = ballotIdOf(ballotIdOrStream);
  const stream = ballotStream(ballotId);
  const events = await store.readStream(stream);
  if (events.length === 0) throw new NotFoundError(`no ballot "${ballotId}" is on record`, { ballotId });
  const registry = options.registry ?? PROCESS_REGISTRY;
  const pinned = events[0]!.metadata.machine;
  const definition = registry.get(pinned.id);
  const machine = definition?.versions[pinned.version];
  if (!definition || !machine) throw new UnknownProcessError(stream, pinned);
  if (pinned.id !== 'ballot') throw new NotFoundError(`stream "${stream}" is not a ballot (it pins the ${pinned.id} machine)`, { ballotId });

  const path = takenPath(machine, definition.input(stream), events);
  const decided = recorded<BallotDecidedData>(events, 'BallotDecided');
  if (!decided && !(DECIDED_STATES as readonly string[]).includes(path.state)) throw new BallotNotDecidedError(ballotId, path.state);

  const opened = recorded<BallotOpenedData>(events, 'BallotOpened');
  const votes = votesOf(events, opened?.data.electorate ?? []);
  const voted = new Set(votes.map((vote) => vote.partnerId));
  const recount = recountOf(opened?.data, votes, decided?.data);
  const chain = await verifyLog(events, { legality: machineLegality(registry).check });
  const log = await verifyStore(store, { registry });
  const last = events.at(-1)!;

  return {
    ballotId,
    stream,
    generatedAt: options.now.toISOString(),
    engine: engineVersion(),
    machine: { id: pinned.id, version: pinned.version },
    state: path.state,
    ...optional('drafted', recorded<BallotDraftedData>(events, 'BallotDrafted')),
    ...optional('opened', opened),
    ...optional('closed', recorded<BallotClosedData>(events, 'BallotClosed')),
    ...optional('decided', decided),
    partnerNames: opened ? await partnerNames(store, opened.data.electorate, opened.data.electorateAsOf) : {},
    votes,
    notVoted: (opened?.data.electorate ?? []).filter((partnerId) => !voted.has(partnerId)),
    recount,
    graph: machineGraph(machine).graph,
    path,
    events: events.map(eventRow),
    chain,
    log,
    decisionAnchor: log.ok ? await anchorAt(store, last.position) : null,
  };
}

const optional = <K extends string, V>(key: K, value: V | undefined) => (value === undefined ? {} : ({ [key]: value } as { [P in K]: V }));

function recorded<D>(events: readonly StoredEvent[], type: string): Recorded<D> | undefined {
  const event = events.find((candidate) => candidate.type === type);
  return event
    ? { at: event.metadata.occurredAt, by: event.metadata.actor, revision: event.revision, position: event.position, data: event.data as D }
    : undefined;
}

function votesOf(events: readonly StoredEvent[], electorate: readonly string[]): DossierVote[] {
  const votes: DossierVote[] = events
    .filter((event) => event.type === 'VoteCast' || event.type === 'VoteChanged')
    .map((event) => {
      const data = event.data as VoteChangedData;
      return {
        type: event.type as DossierVote['type'],
        revision: event.revision,
        position: event.position,
        at: event.metadata.occurredAt,
        by: event.metadata.actor,
        partnerId: data.partnerId,
        choice: data.choice,
        ...(event.type === 'VoteChanged' ? { previousChoice: data.previousChoice } : {}),
        counts: false,
        eligible: electorate.includes(data.partnerId),
      };
    });
  const latest = new Map<string, DossierVote>();
  for (const vote of votes) {
    const before = latest.get(vote.partnerId);
    if (before) before.supersededBy = { revision: vote.revision, at: vote.at, choice: vote.choice };
    latest.set(vote.partnerId, vote);
  }
  for (const vote of latest.values()) vote.counts = vote.eligible;
  return votes;
}

const list = (items: readonly string[]) => (items.length ? items.join(', ') : '(none)');

function recountOf(opened: BallotOpenedData | undefined, votes: readonly DossierVote[], decided: BallotDecidedData | undefined): BallotDossier['recount'] {
  if (!opened) return { tally: null, impossible: 'no BallotOpened event is on record: there is no frozen electorate or rule set to count with', rows: [], matches: false };
  let counted: BallotTally;
  try {
    counted = tally({ electorate: opened.electorate, rules: opened.rules, votes: votes.map(({ partnerId, choice }) => ({ partnerId, choice })) });
  } catch (error) {
    return { tally: null, impossible: `the recorded rules cannot be counted with: ${error instanceof Error ? error.message : String(error)}`, rows: [], matches: false };
  }
  const recordedTally = decided?.tally;
  const show = (value: unknown) => (value === undefined ? '(not recorded)' : Array.isArray(value) ? list(value.map(String)) : String(value));
  const votesText = (t: BallotTally | undefined) => (t?.votes ? t.votes.map((vote) => `${vote.partnerId}: ${vote.choice}`) : undefined);
  const row = (field: string, recordedValue: unknown, recountedValue: unknown): RecountRow => {
    const recordedText = show(recordedValue);
    const recountedText = show(recountedValue);
    return { field, recorded: recordedText, recounted: recountedText, same: recordedText === recountedText };
  };
  const rows = [
    row('outcome', decided?.outcome, counted.outcome),
    row('yes', recordedTally?.yes, counted.yes),
    row('no', recordedTally?.no, counted.no),
    row('abstain', recordedTally?.abstain, counted.abstain),
    row('taking part (toward the quorum)', recordedTally?.participating, counted.participating),
    row('quorum required', recordedTally?.quorumRequired, counted.quorumRequired),
    row('quorum met', recordedTally?.quorumMet, counted.quorumMet),
    row('threshold met', recordedTally?.thresholdMet, counted.thresholdMet),
    row('eligible', recordedTally?.eligible, counted.eligible),
    row('votes counted', votesText(recordedTally), votesText(counted)),
    row('did not vote', recordedTally?.notVoted, counted.notVoted),
  ];
  const matches =
    decided !== undefined && decided.outcome === counted.outcome && rows.every((r) => r.same) && safeSameTally(decided.tally, counted);
  return { tally: counted, rows, matches };
}

function safeSameTally(recordedTally: BallotTally, counted: BallotTally): boolean {
  try {
    return sameTally(recordedTally, counted);
  } catch {
    return false; // a malformed recorded tally is not this recount
  }
}

function eventRow(event: StoredEvent): DossierEvent {
  return {
    position: event.position,
    revision: event.revision,
    id: event.id,
    type: event.type,
    occurredAt: event.metadata.occurredAt,
    by: event.metadata.actor,
    clauses: event.metadata.clauses ?? [],
    torVersion: event.metadata.torVersion,
    prevHash: event.prevHash,
    hash: event.hash,
  };
}

/** Each Partner's name as registered when the electorate was frozen, read from its own stream's events. */
async function partnerNames(store: EventStore, electorate: readonly string[], asOf: string): Promise<Record<string, string>> {
  const names: Record<string, string> = {};
  const cut = Date.parse(asOf);
  for (const partnerId of electorate) {
    const registered = (await store.readStream(partnerStream(partnerId)))
      .filter((event) => event.type === 'PartnerRegistered' && Date.parse(event.metadata.occurredAt) <= cut)
      .at(-1);
    const name = (registered?.data as PartnerRegisteredData | undefined)?.name;
    if (typeof name === 'string') names[partnerId] = name;
  }
  return names;
}

/**
 * The ledger's anchor over the log up to this ballot's last event (`u4ssc-anchor:<n>:<hex>`, libs/envelope/ledger.ts):
 * later events never change it, so it can be published with the decision and checked with `verify --anchor`.
 */
async function anchorAt(store: EventStore, position: number): Promise<string | null> {
  async function* upTo(): AsyncGenerator<StoredEvent> {
    for await (const event of readAllEvents(store, { pageSize: 5000 })) {
      if (event.position > position) return;
      yield event;
    }
  }
  const report = await verifyLog(upTo());
  return report.ok && report.head?.position === position ? report.anchor : null;
}
