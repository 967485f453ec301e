import { budgetMargin } from "../../service/src/turn";
import { FaultyStore } from "./faultyStore";
import { Conversation, startService, texts, turnBody, type TestService } from "./harness";

const BUDGET = 400;

/** A slow or unavailable session store never makes Genesys wait past the budget. */
describe("turn budget and store faults", () => {
  let svc: TestService;
  const store = new FaultyStore();
  beforeAll(async () => {
    svc = await startService({ TURN_BUDGET_MS: String(BUDGET) }, { store });
  });
  afterEach(() => {
    store.loadDelayMs = 0;
    store.saveDelayMs = 0;
    store.down = false;
  });
  afterAll(() => svc.close());

  test("a slow store: answered Failed within the budget, with errorInfo and a friendly message", async () => {
    store.loadDelayMs = 5_000;
    const started = performance.now();
    const res = await svc.post(turnBody());
    const elapsed = performance.now() - started;
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ botState: "Failed", errorInfo: { errorCode: "TURN_BUDGET_EXCEEDED" } });
    expect(texts(res.body)).toEqual(["Sorry, I'm having a technical problem. Let me get you to a colleague."]);
    expect(elapsed).toBeGreaterThanOrEqual(BUDGET - budgetMargin(BUDGET) - 20);
    // Generous upper bound for a loaded CI machine; the point is "not 5 s".
    expect(elapsed).toBeLessThan(BUDGET + 1_000);
    expect(store.aborted).toBeGreaterThan(0);
  });

  test("a slow save is aborted and the session does not advance behind Genesys's back", async () => {
    const c = new Conversation(svc);
    await c.say("");
    const savesBefore = store.saves;
    store.saveDelayMs = 5_000;
    const late = await c.say("track");
    expect(late).toMatchObject({ botState: "Failed", errorInfo: { errorCode: "TURN_BUDGET_EXCEEDED" } });
    store.saveDelayMs = 0;
    await new Promise((r) => setTimeout(r, 50));
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
    expect(metrics).toMatch(/botconnector_turns_total\{bot="acme-support",version="1.0",outcome="budget_exceeded"\} 2/);
  });

  test("the answer to a Failed turn is in the bot's language", async () => {
    store.down = true;
    const res = await svc.post(turnBody({ languageCode: "de-de" }));
    expect(texts(res.body)).toEqual(["Entschuldigung, ich habe ein technisches Problem. Ich verbinde Sie mit einem Kollegen."]);
  });
});
