import { EventBus, EventsHandler, ofType, type IEvent, type IEventHandler } from '@nestjs/cqrs';
import { filter, type Observable } from 'rxjs';
import { EventAppended } from '../engine/event-appended.js';
import type { StoredEvent } from '../envelope/index.js';
import { derivedId } from '../kernel/ids.js';
import type { CommandContext } from '../process-runner/index.js';
import type { BallotDecidedData, BallotSubject, Outcome, SubjectKind } from '../../state-machines/ballot/ballot.events.js';
import type { BallotTally } from '../../state-machines/ballot/ballot.tally.js';

/**
 * The hook for sagas (docs/architecture.md §3: "ballot decided → workplan agreed"): published on Nest's EventBus once a
 * ballot's outcome is stored, whichever way it closed (deadline, last vote, Secretariat). A subject's process
 * subscribes by kind with `ballotsDecided('workplan')` and answers with a command built by `sagaCommandContext`.
 */
export class BallotDecided implements IEvent {
  constructor(
    readonly ballotId: string,
    readonly subject: BallotSubject,
    readonly outcome: Outcome,
    readonly tally: BallotTally,
    /** The stored `BallotDecided` event: the cause of whatever the subject's process does next. */
    readonly event: StoredEvent,
  ) {}
}

/** Turns the engine's `EventAppended` for a stored `BallotDecided` into the domain notification. */
@EventsHandler(EventAppended)
export class BallotDecidedPublisher implements IEventHandler<EventAppended> {
  constructor(private readonly eventBus: EventBus) {}

  handle({ event }: EventAppended): void {
    if (event.metadata.machine.id !== 'ballot' || event.type !== 'BallotDecided') return;
    const data = event.data as BallotDecidedData;
    this.eventBus.publish(new BallotDecided(data.ballotId, data.subject, data.outcome, data.tally, event));
  }
}

/** An rxjs operator for `@Saga()`s: the decided ballots, of one subject kind when given. */
export function ballotsDecided(kind?: SubjectKind) {
  return (events: Observable<IEvent>): Observable<BallotDecided> =>
    events.pipe(
      ofType(BallotDecided),
      filter((decided) => kind === undefined || decided.subject.kind === kind),
    );
}

/**
 * The context for the command a saga issues in answer: its id derives from the saga and the decision, so the
 * answer is appended once however often the notification arrives; correlation and causation lead back to the ballot.
 */
export function sagaCommandContext(saga: string, decided: BallotDecided): CommandContext {
  return {
    commandId: derivedId('saga', saga, decided.event.id),
    actor: { id: `saga:${saga}`, role: 'system' },
    correlationId: decided.event.metadata.correlationId,
    causationId: decided.event.id,
  };
}
