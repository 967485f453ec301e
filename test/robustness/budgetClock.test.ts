/**
 * The budget holds when the process is busy: a turn whose work ran past TURN_BUDGET_MS (because its own
 * synchronous work was long, or because other work held the event loop while it waited) answers Failed
 * TURN_BUDGET_EXCEEDED and saves nothing, instead of answering late as if nothing happened. Deterministic: the
 * service's monotonic clock is injected and moved by the test at chosen points of the turn (during the engine's
 * step, during the session read), so no wall-clock bound is asserted.
 */
import { type SessionState } from "../../service/src/engine/state";
import { MemorySessionStore } from "../../service/src/sessions/memoryStore";
import { type SaveOptions, type StoredSession } from "../../service/src/sessions/store";
import { Conversation, startService, type TestService } from "../service/harness";

const BUDGET = 2000;

/** A memory store that runs a hook when a session is read, and counts writes. */
class HookedStore extends MemorySessionStore {
  onLoad: (() => void) | undefined;
  saves = 0;
  override async load(id: string): Promise<StoredSession | undefined> {
    const stored = await super.load(id);
    this.onLoad?.();
    return stored;
  }
  override async save(id: string, state: SessionState, options: SaveOptions): Promise<number> {
    this.saves++;
    return super.save(id, state, options);
  }
}

let clock = 0;
/** What the engine's `now` does when called: the engine calls it once, synchronously, at the start of its step. */
let duringEngineStep: (() => void) | undefined;
const store = new HookedStore();
let svc: TestService;

beforeAll(async () => {
  svc = await startService(
    { TURN_BUDGET_MS: String(BUDGET) },
    {
      store,
      clock: () => clock,
      now: () => {
        duringEngineStep?.();
        return new Date("2026-03-10T10:00:00Z");
      },
    },
  );
});
afterEach(() => {
  store.onLoad = undefined;
  duringEngineStep = undefined;
});
afterAll(() => svc.close());

describe("the turn budget when the process is busy", () => {
  test("synchronous work that overran the budget: Failed TURN_BUDGET_EXCEEDED, nothing saved, the session where it was", async () => {
    const c = new Conversation(svc);
    await c.say("");
    const saves = store.saves;
    // The engine's step "takes" longer than the whole budget.
    duringEngineStep = () => (clock += BUDGET + 1);
    const late = await c.say("track");
    expect(late).toMatchObject({ botState: "Failed", errorInfo: { errorCode: "TURN_BUDGET_EXCEEDED" } });
    expect(store.saves).toBe(saves);
    expect((await store.load(c.sessionId))?.state.awaiting).toEqual({ node: "menu", attempts: 0 });
  });

  test("the session read came back after the budget (the event loop was held meanwhile): Failed, the engine never ran", async () => {
    const c = new Conversation(svc);
    await c.say("");
    let engineRan = false;
    store.onLoad = () => (clock += BUDGET);
    duringEngineStep = () => (engineRan = true);
    const late = await c.say("track");
    expect(late).toMatchObject({ botState: "Failed", errorInfo: { errorCode: "TURN_BUDGET_EXCEEDED" } });
    expect(engineRan).toBe(false);
  });

  test("work that ends just inside the budget (less the answer's margin) is answered normally", async () => {
    const c = new Conversation(svc);
    await c.say("");
    const margin = Math.min(50, BUDGET / 10);
    duringEngineStep = () => (clock += BUDGET - margin - 1);
    const answer = await c.say("track");
    expect(answer.botState).toBe("MoreData");
    expect((await store.load(c.sessionId))?.state.awaiting?.node).toBe("order-number");
  });
});
