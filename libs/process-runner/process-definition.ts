import type { AnyStateMachine } from 'xstate';
import type { Ground } from '../envelope/index.js';

/**
 * A process as data: its machine versions, how a stream's machine input is built, and the ToR version it encodes.
 * A stream pins the machine version of its first event; later versions never re-interpret old streams.
 */
export interface ProcessDefinition<Input = unknown> {
  id: string;
  /** The version new streams start with. */
  currentVersion: number;
  /** Every version that may still be pinned by a stream. */
  versions: Readonly<Record<number, AnyStateMachine>>;
  torVersion: string;
  /** The machine input for a stream (e.g. the id it names). */
  input(stream: string): Input;
}

/** What a decide step proposes; the runner checks each against the machine and wraps it in an envelope. */
export interface Decision {
  type: string;
  data: unknown;
  /** The recorded facts the decision rests on; the runner puts them in the event's metadata. */
  grounds?: Ground[];
}
