/**
 * What the Digital Bot Connector keeps with a session, and the view of the session store a v2 turn runs on.
 *
 * A turn answered later leaves a marker in the session record, `later.pending`, from the moment it outlasts the
 * reply window until its outcome is delivered. The marker makes three things hold across every task that serves
 * the session: a retry of that message gets the same answer (`MoreData`), never a second step; another message of
 * the session is answered "busy" instead of racing the step in flight (one step per session at a time, so replies
 * go out in order); and a marker whose task died is recognised by its lease, logged and dropped. `later.last`
 * remembers the last message answered later, so a late retry of it never delivers its outcome a second time.
 *
 * The turn pipeline (turn.ts) loads and saves the session as for v1; this view sits between it and the store and
 * adds the marker: it writes the marker when the turn is deferred, saves the turn's state on top of it (the
 * version the pipeline expects is the one before the marker), and carries a live marker of another turn forward
 * instead of dropping it.
 */
import { type SessionState } from "../engine/state";
import { type IncomingMessageResponse } from "../protocol/v2/types";
import { type SaveOptions, type SessionStore, type StoredSession } from "../sessions/store";

export interface PendingLater {
  /** The message whose outcome is being worked on or delivered. */
  messageId: string;
  /** The service instance (task) doing it. */
  owner: string;
  /** Epoch ms when it was deferred. */
  since: number;
  /** Epoch ms after which another task may take the marker for abandoned. */
  leaseUntil: number;
  phase: "running" | "delivering";
  /** What `POST /messages` answered for it: a retry of the message gets this again. */
  answer: IncomingMessageResponse;
}

export interface LaterRecord {
  pending?: PendingLater;
  last?: { messageId: string; answer: IncomingMessageResponse };
}

/** The session state with the Digital Bot Connector's record (an extra field the engine carries through untouched). */
export type LaterSessionState = SessionState & { later?: LaterRecord };

export function laterOf(state: SessionState | undefined): LaterRecord | undefined {
  return (state as LaterSessionState | undefined)?.later;
}

export function isLive(pending: PendingLater | undefined, now: number): boolean {
  return pending !== undefined && pending.leaseUntil > now;
}

function withLater(state: SessionState, later: LaterRecord | undefined): LaterSessionState {
  const { later: _old, ...rest } = state as LaterSessionState;
  return later && (later.pending || later.last) ? { ...rest, later } : rest;
}

/** How the view handles the turn's save. */
type Phase =
  /** the turn runs inside the reply window */
  | { kind: "running" }
  /** the turn began saving inside the window: it is answered in the same call whatever happens next */
  | { kind: "saving" }
  /** the window passed: the marker is being written */
  | { kind: "deferring"; written: Promise<void> }
  /** the marker is written (at `version`, over `base`), or could not be (`version` undefined) */
  | { kind: "deferred"; pending: PendingLater; base: number | undefined; version: number | undefined };

export class LaterSessionView implements SessionStore {
  readonly kind: string;
  private first: StoredSession | undefined | null;
  private latest: StoredSession | undefined;
  private phase: Phase = { kind: "running" };

  constructor(
    private readonly store: SessionStore,
    private readonly sessionId: string,
    /** The record as read before the turn started (the turn's first load gets it, without a second read). */
    loaded: StoredSession | undefined,
    private readonly now: () => number,
    private readonly ttlSeconds: number,
  ) {
    this.kind = store.kind;
    this.first = loaded;
    this.latest = loaded;
  }

  /** True once the turn started saving inside the reply window: it must be answered in the same call. */
  get committedToAnswerNow(): boolean {
    return this.phase.kind === "saving";
  }

  async load(sessionId: string, signal?: AbortSignal): Promise<StoredSession | undefined> {
    if (this.first !== null && sessionId === this.sessionId) {
      const first = this.first;
      this.first = null;
      return first;
    }
    const loaded = await this.store.load(sessionId, signal);
    if (sessionId === this.sessionId) this.latest = loaded;
    return loaded;
  }

  /**
   * The window passed: marks the session (conditional on the version the turn read). Resolves false when another
   * write came first; the turn is then answered later without the marker, and its own save finds the conflict
   * and reruns on the fresh state, as any concurrent turn does.
   */
  async defer(pending: PendingLater, signal?: AbortSignal): Promise<boolean> {
    if (this.phase.kind !== "running") return this.phase.kind === "deferred" && this.phase.version !== undefined;
    let marked = false;
    const written = (async () => {
      const base = this.latest;
      const state = base?.state ?? undefined;
      let version: number | undefined;
      if (state) {
        try {
          version = await this.store.save(this.sessionId, withLater(state, { ...laterOf(state), pending }), {
            expectedVersion: base?.version,
            ttlSeconds: this.ttlSeconds,
            // The turn layer's record (turn ids, last answer) goes with every write.
            ...(base?.meta ? { meta: base.meta } : {}),
            signal,
          });
          marked = true;
        } catch {
          version = undefined;
        }
      }
      this.phase = { kind: "deferred", pending, base: base?.version, version };
    })();
    this.phase = { kind: "deferring", written };
    await written;
    return marked;
  }

  async save(sessionId: string, state: SessionState, options: SaveOptions): Promise<number> {
    if (sessionId !== this.sessionId) return this.store.save(sessionId, state, options);
    if (this.phase.kind === "running") this.phase = { kind: "saving" };
    if (this.phase.kind === "deferring") await this.phase.written;
    const phase = this.phase as Exclude<Phase, { kind: "deferring" }>;
    let expectedVersion = options.expectedVersion;
    let later: LaterRecord | undefined;
    const previous = laterOf(this.latest?.state);
    if (phase.kind === "deferred") {
      // The marker was written over the version the turn read: the save follows the marker.
      if (phase.version !== undefined && expectedVersion === phase.base) expectedVersion = phase.version;
      later = { pending: { ...phase.pending, phase: "delivering" }, last: { messageId: phase.pending.messageId, answer: phase.pending.answer } };
    } else {
      // Answered now: keep the record of the last message answered later, and a live marker of another turn.
      const foreign = isLive(previous?.pending, this.now()) ? previous?.pending : undefined;
      later = { ...(foreign ? { pending: foreign } : {}), ...(previous?.last ? { last: previous.last } : {}) };
    }
    const version = await this.store.save(sessionId, withLater(state, later), { ...options, expectedVersion });
    this.latest = { state: withLater(state, later), version, ...(options.meta ? { meta: options.meta } : {}) };
    return version;
  }

  /**
   * The outcome is delivered (or given up): removes this turn's marker. Rereads and retries when another write
   * came in between; leaves a marker that is no longer this turn's alone. Resolves false when the store could not
   * be written (the marker then ends with its lease).
   */
  async release(messageId: string, attempts = 3): Promise<boolean> {
    for (let attempt = 0; attempt < attempts; attempt++) {
      let current: StoredSession | undefined;
      try {
        current = attempt === 0 && this.latest ? this.latest : await this.store.load(this.sessionId);
      } catch {
        continue;
      }
      const later = laterOf(current?.state);
      if (!current || later?.pending?.messageId !== messageId) return true;
      try {
        const { pending: _done, ...rest } = later;
        const version = await this.store.save(this.sessionId, withLater(current.state, rest), {
          expectedVersion: current.version,
          ttlSeconds: this.ttlSeconds,
          ...(current.meta ? { meta: current.meta } : {}),
        });
        this.latest = { state: withLater(current.state, rest), version, ...(current.meta ? { meta: current.meta } : {}) };
        return true;
      } catch {
        this.latest = undefined;
      }
    }
    return false;
  }

  delete(sessionId: string, signal?: AbortSignal): Promise<void> {
    return this.store.delete(sessionId, signal);
  }

  ping(signal?: AbortSignal): Promise<void> {
    return this.store.ping(signal);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
