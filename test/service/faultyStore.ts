import { type SessionState } from "../../service/src/engine/state";
import { MemorySessionStore } from "../../service/src/sessions/memoryStore";
import { type SaveOptions, type SessionStore, SessionStoreUnavailableError, type StoredSession } from "../../service/src/sessions/store";

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(new Error("aborted"));
      },
      { once: true },
    );
  });
}

/** A memory store whose latency and availability a test controls. */
export class FaultyStore implements SessionStore {
  readonly kind = "faulty";
  readonly inner = new MemorySessionStore();
  loadDelayMs = 0;
  saveDelayMs = 0;
  down = false;
  saves = 0;
  aborted = 0;

  private async gate(ms: number, signal?: AbortSignal): Promise<void> {
    if (this.down) throw new SessionStoreUnavailableError("store down (test)");
    if (ms > 0) {
      try {
        await delay(ms, signal);
      } catch (err) {
        this.aborted++;
        throw err;
      }
    }
  }

  async load(id: string, signal?: AbortSignal): Promise<StoredSession | undefined> {
    await this.gate(this.loadDelayMs, signal);
    return this.inner.load(id);
  }

  async save(id: string, state: SessionState, options: SaveOptions): Promise<number> {
    await this.gate(this.saveDelayMs, options.signal);
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
