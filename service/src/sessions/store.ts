import { type SessionState } from "../engine/state";

/** Turn ids a session remembers (the most recent last): enough to recognise a turn's own write after a lost answer. */
export const REMEMBERED_TURN_IDS = 8;

/**
 * What the service keeps with a session besides the conversation itself, written in the same conditional write.
 * A turn whose write landed but whose answer was lost (a late DynamoDB response, then the SDK's retry failing its
 * own version check) finds its id in `turnIds` and answers what it wrote instead of running again; a request sent
 * again (the same id) gets `lastAnswer` without a second step.
 */
export interface SessionMeta {
  /** Ids of the last turns saved, oldest first (at most REMEMBERED_TURN_IDS). */
  turnIds?: readonly string[];
  /** The answer sent for the last of them: its JSON text, exactly as it was sent (serialised once per turn). */
  lastAnswer?: string;
  /** Session limits this session reached and that were logged: each is logged once per session. */
  limitsLogged?: readonly string[];
}

/** A session as stored, with the version used for the conditional write of the next turn. */
export interface StoredSession {
  state: SessionState;
  version: number;
  meta?: SessionMeta;
}

export interface SaveOptions {
  /** The version read at the start of the turn; undefined when the session is new. */
  expectedVersion: number | undefined;
  /** Seconds until the store may forget the session (from `botSessionTimeout`). */
  ttlSeconds: number;
  /** Stored with the state in the same conditional write. */
  meta?: SessionMeta;
  signal?: AbortSignal;
}

/** Another turn of the same session saved first; the caller retries the turn on fresh state or fails it. */
export class SessionConflictError extends Error {
  constructor(readonly sessionId: string) {
    super("the session was changed by a concurrent turn");
    this.name = "SessionConflictError";
  }
}

/**
 * The record (state and meta, serialised) is larger than the store's limit (`SESSION_MAX_BYTES`); nothing was
 * written. The caller sheds what it can (the oldest transcript entries) or fails the turn.
 */
export class SessionTooLargeError extends Error {
  constructor(
    readonly bytes: number,
    readonly maxBytes: number,
  ) {
    super(`the session would take ${bytes} bytes; the limit is ${maxBytes}`);
    this.name = "SessionTooLargeError";
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
  /**
   * Writes the state (and meta) and returns its new version; throws SessionConflictError on a lost race and
   * SessionTooLargeError, before writing anything, when the record exceeds the store's size limit.
   */
  save(sessionId: string, state: SessionState, options: SaveOptions): Promise<number>;
  delete(sessionId: string, signal?: AbortSignal): Promise<void>;
  /** Resolves when the store is reachable (for /readyz); rejects otherwise. */
  ping(signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/** DynamoDB's item limit is 400 KB, key and attribute names included; the most a record may take leaves room for those. */
export const MAX_RECORD_BYTES = 350 * 1024;

/** Largest record a store keeps by default: far below DynamoDB's 400 KB item limit (`SESSION_MAX_BYTES`). */
export const DEFAULT_SESSION_MAX_BYTES = 100 * 1024;

/** JSON quotes and commas around each id or name in a stored list. */
const LIST_ITEM_OVERHEAD = 3;

function listChars(items: readonly string[] | undefined): number {
  let n = 0;
  for (const item of items ?? []) n += item.length + LIST_ITEM_OVERHEAD;
  return n;
}

/**
 * The state as the stores keep it (JSON text), once the whole record (state, last answer, turn ids, limits
 * logged) is known to fit in `maxBytes`; throws SessionTooLargeError otherwise, before anything is written.
 */
export function encodeSession(state: SessionState, meta: SessionMeta | undefined, maxBytes: number): string {
  const stateJson = JSON.stringify(state);
  const metaChars = (meta?.lastAnswer?.length ?? 0) + listChars(meta?.turnIds) + listChars(meta?.limitsLogged);
  // A UTF-16 unit takes at most 3 UTF-8 bytes: below a third of the limit there is no need to count bytes.
  if ((stateJson.length + metaChars) * 3 > maxBytes) {
    const bytes =
      Buffer.byteLength(stateJson) +
      Buffer.byteLength(meta?.lastAnswer ?? "") +
      [...(meta?.turnIds ?? []), ...(meta?.limitsLogged ?? [])].reduce((n, item) => n + Buffer.byteLength(item) + LIST_ITEM_OVERHEAD, 0);
    if (bytes > maxBytes) throw new SessionTooLargeError(bytes, maxBytes);
  }
  return stateJson;
}
