import { type SessionState } from "../../service/src/engine/state";
import { MemorySessionStore } from "../../service/src/sessions/memoryStore";
import { type SaveOptions, type SessionStore, SessionStoreUnavailableError, type StoredSession } from "../../service/src/sessions/store";

/**
 * A memory store whose availability a test controls, and whose loads and saves it can hold: a held call waits
 * until the test releases it or the turn's signal aborts it. Tests wait for `held` to reach a number instead of
 * guessing how long the turns take to get there.
 */
export class FaultyStore implements SessionStore {
  readonly kind = "faulty";
  readonly inner = new MemorySessionStore();
  down = false;
  holdLoads = false;
  holdSaves = false;
  saves = 0;
  aborted = 0;
  private readonly waiting = new Set<() => void>();

  /** Calls held right now. */
  get held(): number {
    return this.waiting.size;
  }

  /** Stops holding and lets every held call go on. */
  release(): void {
    this.holdLoads = false;
    this.holdSaves = false;
    for (const go of [...this.waiting]) go();
  }

  private async gate(hold: boolean, signal?: AbortSignal): Promise<void> {
    if (this.down) throw new SessionStoreUnavailableError("store down (test)");
    if (!hold) return;
    await new Promise<void>((resolve, reject) => {
      const go = () => {
        this.waiting.delete(go);
        signal?.removeEventListener("abort", abort);
        resolve();
      };
      const abort = () => {
        this.waiting.delete(go);
        this.aborted++;
        reject(new Error("aborted"));
      };
      this.waiting.add(go);
      signal?.addEventListener("abort", abort, { once: true });
    });
  }

  async load(id: string, signal?: AbortSignal): Promise<StoredSession | undefined> {
    await this.gate(this.holdLoads, signal);
    return this.inner.load(id);
  }

  async save(id: string, state: SessionState, options: SaveOptions): Promise<number> {
    await this.gate(this.holdSaves, options.signal);
    this.saves++;
    return this.inner.save(id, state, options);
  }

  async delete(id: string): Promise<void> {
    await this.inner.delete(id);
  }

  async ping(): Promise<void> {
    if (this.down) throw new SessionStoreUnavailableError("store down (test)");
  }

  async close(): Promise<void> {
    await this.inner.close();
  }
}
