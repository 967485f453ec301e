import { type SessionState } from "../engine/state";
import {
  DEFAULT_SESSION_MAX_BYTES,
  encodeSession,
  type SaveOptions,
  SessionConflictError,
  type SessionMeta,
  type SessionStore,
  type StoredSession,
} from "./store";

interface Entry {
  /** Serialised, so callers never share (and mutate) the stored object. */
  json: string;
  /** Frozen once stored (copied in), so it is handed out as is: no caller can change what is kept. */
  meta: SessionMeta | undefined;
  version: number;
  expiresAt: number;
}

export interface MemorySessionStoreOptions {
  /** Most sessions kept; beyond it the least recently used one is dropped (default 100 000). */
  maxSessions?: number;
  now?: () => number;
  /** Called with the id of a session dropped to stay under maxSessions. */
  onEvict?: (sessionId: string) => void;
  /** Largest serialised session (state and meta) kept, in bytes (default 100 KiB, as the DynamoDB store). */
  maxSessionBytes?: number;
}

/**
 * Sessions in this process's memory: for local runs, tests and single-instance deployments.
 * Expired sessions are dropped when read and by a sweep; the size cap evicts least recently used first.
 */
export class MemorySessionStore implements SessionStore {
  readonly kind = "memory";
  private readonly entries = new Map<string, Entry>();
  private readonly maxSessions: number;
  private readonly maxSessionBytes: number;
  private readonly now: () => number;
  private readonly onEvict: ((sessionId: string) => void) | undefined;
  private readonly sweeper: NodeJS.Timeout;

  constructor(options: MemorySessionStoreOptions = {}) {
    this.maxSessions = options.maxSessions ?? 100_000;
    if (!Number.isInteger(this.maxSessions) || this.maxSessions < 1) {
      throw new Error(`maxSessions must be a positive integer, got ${String(options.maxSessions)}`);
    }
    this.maxSessionBytes = options.maxSessionBytes ?? DEFAULT_SESSION_MAX_BYTES;
    this.now = options.now ?? Date.now;
    this.onEvict = options.onEvict;
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  get size(): number {
    return this.entries.size;
  }

  async load(sessionId: string): Promise<StoredSession | undefined> {
    const entry = this.live(sessionId);
    if (!entry) return undefined;
    // Re-insert to keep Map order = least recently used first.
    this.entries.delete(sessionId);
    this.entries.set(sessionId, entry);
    const stored: StoredSession = { state: JSON.parse(entry.json) as SessionState, version: entry.version };
    if (entry.meta !== undefined) stored.meta = entry.meta;
    return stored;
  }

  async save(sessionId: string, state: SessionState, options: SaveOptions): Promise<number> {
    const current = this.live(sessionId);
    if ((current?.version ?? undefined) !== options.expectedVersion) throw new SessionConflictError(sessionId);
    const json = encodeSession(state, options.meta, this.maxSessionBytes);
    const version = (current?.version ?? 0) + 1;
    this.entries.delete(sessionId);
    this.entries.set(sessionId, { json, meta: options.meta && frozenCopy(options.meta), version, expiresAt: this.now() + options.ttlSeconds * 1000 });
    while (this.entries.size > this.maxSessions) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
      this.onEvict?.(oldest);
    }
    return version;
  }

  async delete(sessionId: string): Promise<void> {
    this.entries.delete(sessionId);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.entries.clear();
  }

  /** Drops every expired session. */
  sweep(): void {
    const now = this.now();
    for (const [id, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(id);
  }

  private live(sessionId: string): Entry | undefined {
    const entry = this.entries.get(sessionId);
    if (entry && entry.expiresAt <= this.now()) {
      this.entries.delete(sessionId);
      return undefined;
    }
    return entry;
  }
}

function frozenCopy(meta: SessionMeta): SessionMeta {
  const copy: SessionMeta = {};
  if (meta.turnIds) copy.turnIds = Object.freeze([...meta.turnIds]);
  if (meta.lastAnswer !== undefined) copy.lastAnswer = meta.lastAnswer;
  if (meta.limitsLogged) copy.limitsLogged = Object.freeze([...meta.limitsLogged]);
  return Object.freeze(copy);
}
