import { type SessionState } from "../engine/state";

/** A session as stored, with the version used for the conditional write of the next turn. */
export interface StoredSession {
  state: SessionState;
  version: number;
}

export interface SaveOptions {
  /** The version read at the start of the turn; undefined when the session is new. */
  expectedVersion: number | undefined;
  /** Seconds until the store may forget the session (from `botSessionTimeout`). */
  ttlSeconds: number;
  signal?: AbortSignal;
}

/** Another turn of the same session saved first; the caller retries the turn on fresh state or fails it. */
export class SessionConflictError extends Error {
  constructor(readonly sessionId: string) {
    super("the session was changed by a concurrent turn");
    this.name = "SessionConflictError";
  }
}

/** The store could not be reached or answered with an error; the turn fails cleanly. */
export class SessionStoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SessionStoreUnavailableError";
  }
}

/**
 * Where sessions live between turns, keyed by `botSessionId`. One read and one conditional write per
 * turn: `save` succeeds only if the stored version still equals `expectedVersion` (or, for a new
 * session, if none exists), so two instances answering turns of one session never overwrite each other.
 */
export interface SessionStore {
  readonly kind: string;
  load(sessionId: string, signal?: AbortSignal): Promise<StoredSession | undefined>;
  /** Writes the state and returns its new version; throws SessionConflictError on a lost race. */
  save(sessionId: string, state: SessionState, options: SaveOptions): Promise<number>;
  delete(sessionId: string, signal?: AbortSignal): Promise<void>;
  /** Resolves when the store is reachable (for /readyz); rejects otherwise. */
  ping(signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}
