import { ServiceMetrics } from "../../service/src/observability/metrics";
import { MemorySessionStore } from "../../service/src/sessions/memoryStore";
import { eventually } from "../support/time";
import { FaultyStore } from "./faultyStore";
import { Conversation, startService, texts, type TestService } from "./harness";

describe("session lifetime", () => {
  let svc: TestService;
  let clock = Date.parse("2026-11-24T10:00:00Z");
  const metrics = new ServiceMetrics({ defaultMetrics: false });
  const store = new MemorySessionStore({ now: () => clock, maxSessions: 3, onEvict: () => metrics.sessionsEvicted.inc() });
  beforeAll(async () => {
    svc = await startService({}, { store, metrics });
  });
  afterAll(() => svc.close());

  test("a session lives botSessionTimeout minutes, then a turn starts afresh", async () => {
    const c = new Conversation(svc, { botSessionTimeout: 2 });
    await c.say("");
    clock += 119_000;
    expect(texts(await c.say("track"))).toEqual(["What's your order number? It looks like A-12345."]);
    clock += 121_000;
    const restarted = await c.say("A-12345");
    expect(texts(restarted)[0]).toBe("Hi there! I'm Ava, Acme's virtual assistant.");
  });

  test("the memory store keeps at most its cap, dropping the least recently used", async () => {
    const sessions = [new Conversation(svc), new Conversation(svc), new Conversation(svc), new Conversation(svc)];
    for (const c of sessions) await c.say("");
    expect(store.size).toBe(3);
    expect(await store.load(sessions[0]!.sessionId)).toBeUndefined();
    expect(await store.load(sessions[3]!.sessionId)).toBeDefined();
    const metrics = await (await fetch(svc.url + "/metrics")).text();
    expect(metrics).toMatch(/botconnector_sessions_evicted_total [1-9]/);
  });
});

describe("concurrent turns of one session", () => {
  let svc: TestService;
  const store = new FaultyStore();
  beforeAll(async () => {
    svc = await startService({}, { store });
  });
  afterAll(() => svc.close());

  test("both are answered and both steps are kept: the loser of the write race retries on fresh state", async () => {
    const c = new Conversation(svc);
    await c.say("");
    // Both turns read version N before either writes N+1: their loads are held until both are waiting.
    store.holdLoads = true;
    const turns = Promise.all([c.say("banana"), c.say("kiwi")]);
    await eventually(() => store.held === 2, "both turns to load the session");
    store.release();
    const [a, b] = await turns;
    expect(a.botState).toBe("MoreData");
    expect(b.botState).toBe("MoreData");
    const stored = await store.inner.load(c.sessionId);
    expect(stored?.state.turns).toBe(3);
    expect(stored?.state.awaiting).toEqual({ node: "menu", attempts: 2 });
    const metrics = await (await fetch(svc.url + "/metrics")).text();
    expect(metrics).toMatch(/botconnector_session_store_errors_total\{operation="save",kind="conflict"\} [1-9]/);
  });
});
