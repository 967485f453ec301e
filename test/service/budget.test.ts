import { budgetMargin } from "../../service/src/turn";
import { LOAD_TOLERANCE_MS, TIMER_SLACK_MS, UNHURRIED_MS } from "../support/time";
import { FaultyStore } from "./faultyStore";
import { Conversation, startService, texts, turnBody, type TestService } from "./harness";

const BUDGET = 400;

/** A slow or unavailable session store never makes Genesys wait past the budget. */
describe("turn budget and store faults", () => {
  // Two instances on one store: `tight` answers the turns that are to run out of its budget; `svc`, with a budget
  // no turn comes near, every other turn.
  let svc: TestService;
  let tight: TestService;
  const store = new FaultyStore();
  beforeAll(async () => {
    svc = await startService({ TURN_BUDGET_MS: String(UNHURRIED_MS) }, { store });
    tight = await startService({ TURN_BUDGET_MS: String(BUDGET) }, { store });
  });
  afterEach(() => {
    store.release();
    store.down = false;
  });
  afterAll(async () => {
    await svc.close();
    await tight.close();
  });

  test("a store that does not answer: Failed by the budget, with errorInfo and no message of its own", async () => {
    const abortedBefore = store.aborted;
    store.holdLoads = true;
    const started = performance.now();
    const res = await tight.post(turnBody());
    const elapsed = performance.now() - started;
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ botState: "Failed", errorInfo: { errorCode: "TURN_BUDGET_EXCEEDED" } });
    expect(texts(res.body)).toEqual([]);
    expect(elapsed).toBeGreaterThanOrEqual(BUDGET - budgetMargin(BUDGET) - TIMER_SLACK_MS);
    expect(elapsed).toBeLessThan(BUDGET + LOAD_TOLERANCE_MS);
    // The load still waiting was abandoned with the turn.
    expect(store.aborted).toBe(abortedBefore + 1);
    expect(store.held).toBe(0);
  });

  test("a save that does not finish is aborted and the session does not advance behind Genesys's back", async () => {
    const c = new Conversation(svc);
    await c.say("");
    const savesBefore = store.saves;
    const abortedBefore = store.aborted;
    store.holdSaves = true;
    const late = await new Conversation(tight, { botSessionId: c.sessionId }).say("track");
    expect(late).toMatchObject({ botState: "Failed", errorInfo: { errorCode: "TURN_BUDGET_EXCEEDED" } });
    // Aborted before the answer went out: the step can no longer be saved.
    expect(store.aborted).toBe(abortedBefore + 1);
    expect(store.held).toBe(0);
    expect(store.saves).toBe(savesBefore);
    expect((await store.inner.load(c.sessionId))?.state.awaiting?.node).toBe("menu");
  });

  test("the store down: Failed SESSION_STORE_UNAVAILABLE, /readyz 503; back up: normal turns", async () => {
    store.down = true;
    const res = await svc.post(turnBody());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ botState: "Failed", errorInfo: { errorCode: "SESSION_STORE_UNAVAILABLE" } });
    const ready = await fetch(svc.url + "/readyz");
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ error: "not_ready", message: "session store (faulty) unreachable" });
    store.down = false;
    expect((await fetch(svc.url + "/readyz")).status).toBe(200);
    expect((await svc.post(turnBody())).body.botState).toBe("MoreData");
    const metrics = await (await fetch(svc.url + "/metrics")).text();
    expect(metrics).toMatch(/botconnector_turns_total\{bot="acme-support",version="1.0",outcome="store_unavailable"\} 1/);
    expect(await (await fetch(tight.url + "/metrics")).text()).toMatch(/botconnector_turns_total\{bot="acme-support",version="1.0",outcome="budget_exceeded"\} 2/);
  });

  test("a Failed turn says nothing itself, in any language: the flow's failure path sends the one apology", async () => {
    store.down = true;
    const res = await svc.post(turnBody({ languageCode: "de-de" }));
    expect(res.body).toMatchObject({ botState: "Failed", replymessages: [], errorInfo: { errorCode: "SESSION_STORE_UNAVAILABLE" } });
  });
});
