/**
 * Replies that come later: a turn that outlasts the reply window is answered MoreData at once and its outcome goes
 * out through the outgoing messages API of a fake Genesys Platform API that is slow, fails, answers 409 and 429.
 * Time is a ManualClock: the test says when the window has passed and when a progress message or a retry is due;
 * the slow upstream agent answers when the test opens its gate. Nothing sleeps.
 */
import { type UpstreamRequest } from "../../service/src/upstream/contract";
import { ordersAgent, type SampleUpstreamAgent } from "../fixtures/upstreamAgent";
import { type LaterSessionState } from "../../service/src/digital/sessionView";
import { DigitalGenesys, holdNextAgentCall, replyTexts, startDigital, type DigitalSetup, type HttpResult } from "./harness";

const BOT = { botId: "acme-assistant", botVersion: "2.0" };

async function metric(setup: DigitalSetup, pattern: RegExp): Promise<number> {
  const text = await (await fetch(setup.svc.url + "/metrics")).text();
  const line = text.split("\n").find((l) => pattern.test(l));
  return line ? Number(line.split(" ").at(-1)) : 0;
}

/** A conversation at the assistant (its greeting answered at once), and its next message held at the agent. */
async function slowTurn(setup: DigitalSetup, text = "where is A-12345?", reply: (r: UpstreamRequest) => unknown = ordersAgent) {
  const genesys = new DigitalGenesys(setup, BOT);
  const greeting = await genesys.say("");
  expect(greeting.body.botState).toBe("MoreData");
  const { slow, arrived } = holdNextAgentCall(setup.agent as SampleUpstreamAgent, reply);
  const body = genesys.body({ type: "Text", text });
  const answer = genesys.post(body);
  // The agent has the call and holds it: only now has the reply window passed.
  await arrived;
  await setup.clock.waiting("reply-window");
  setup.clock.release("reply-window");
  return { genesys, slow, body, answer: await answer };
}

async function storedLater(setup: DigitalSetup, botSessionId: string) {
  const stored = await setup.svc.service.store.load(botSessionId);
  return (stored?.state as LaterSessionState | undefined)?.later;
}

describe("replies that come later", () => {
  let setup: DigitalSetup;
  beforeEach(async () => {
    setup = await startDigital({ bots: "assistant" });
  });
  afterEach(() => setup.close());

  test("a slow step is answered MoreData with the bot's 'one moment', then a progress message, then the outcome", async () => {
    const { genesys, slow, answer } = await slowTurn(setup);
    expect(answer).toEqual({ status: 200, body: { botState: "MoreData", replyMessages: [{ type: "Text", text: "One moment, I'm looking into it." }] } });

    expect(await setup.clock.next("progress")).toBe(10_000);
    await setup.outgoing.acceptedCount(1);
    expect(setup.outgoing.accepted[0]?.body).toEqual({
      botId: "acme-assistant",
      botVersion: "2.0",
      botSessionId: genesys.botSessionId,
      languageCode: "en-us",
      botState: "MoreData",
      replyMessages: [{ type: "Text", text: "Still working on it, thanks for your patience." }],
    });

    slow.open();
    await setup.outgoing.acceptedCount(2);
    const outcome = setup.outgoing.accepted[1]?.body as Record<string, unknown>;
    expect(outcome).toMatchObject({ botSessionId: genesys.botSessionId, botState: "Complete", intent: "OrderStatus", parameters: { lastTopic: "order" } });
    expect(outcome.entities).toEqual([
      { name: "orderNumber", type: "String", value: "A-12345" },
      { name: "orderStatus", type: "String", value: "shipped" },
      { name: "itemCount", type: "Integer", value: "2" },
    ]);
    expect(replyTexts(outcome)).toEqual(["Order A-12345"]);
    await setup.svc.service.digital?.turns.idle();
    // The marker is gone; the last message answered later is remembered for its retries.
    expect(await storedLater(setup, genesys.botSessionId)).toEqual({ last: { messageId: genesys.lastMessageId, answer: answer.body } });
    expect(await metric(setup, /^botconnector_dbc_deliveries_total\{kind="outcome",result="delivered"\}/)).toBe(1);
    expect(await metric(setup, /^botconnector_dbc_messages_total\{outcome="deferred"\}/)).toBe(1);
  });

  test("the outcome, once ready, waits for the progress message still on its way: one at a time, in order", async () => {
    const { slow } = await slowTurn(setup);
    const held = setup.outgoing.hold();
    await setup.clock.next("progress");
    await held.reached;
    slow.open();
    // The outcome is ready now, but the progress message has not been answered yet: nothing else is sent.
    await setup.svc.service.digital?.deliveries.whenQueued(2);
    expect(setup.outgoing.received).toHaveLength(0);
    held.release();
    await setup.outgoing.acceptedCount(2);
    expect(setup.outgoing.accepted.map((m) => m.body.botState)).toEqual(["MoreData", "Complete"]);
    await setup.svc.service.digital?.turns.idle();
    expect(setup.outgoing.received).toHaveLength(2);
  });

  test("a retry of the message gets the same MoreData answer, while pending and after delivery: one step only", async () => {
    const { genesys, slow, body, answer } = await slowTurn(setup);
    const callsBefore = setup.agent?.accepted.length;
    expect(await genesys.post(body)).toEqual(answer);
    slow.open();
    await setup.svc.service.digital?.turns.idle();
    expect(await genesys.post(body)).toEqual(answer);
    expect(setup.agent?.accepted.length).toBe(callsBefore);
    expect(setup.outgoing.accepted.filter((m) => m.body.botState === "Complete")).toHaveLength(1);
    expect(await metric(setup, /^botconnector_dbc_messages_total\{outcome="replayed"\}/)).toBe(2);
  });

  test("a message that arrives while the previous one is answered later is answered busy and not processed", async () => {
    const { genesys, slow } = await slowTurn(setup);
    const calls = setup.agent?.accepted.length;
    const busy: HttpResult = await genesys.say("hello?");
    expect(busy.body).toEqual({ botState: "MoreData", replyMessages: [{ type: "Text", text: "I'm still working on your previous message." }] });
    expect(setup.agent?.accepted.length).toBe(calls);
    slow.open();
    await setup.svc.service.digital?.turns.idle();
    // The outcome closed the session (Complete); the next message starts again, at once.
    const next = await genesys.say("hi again");
    expect(next.body.botState).toBe("MoreData");
    expect(setup.agent?.accepted.length).toBe((calls ?? 0) + 1);
  });

  test("429 with Retry-After: the delivery waits exactly that long, then goes out", async () => {
    const { slow } = await slowTurn(setup, "A-12345");
    setup.platform.injectFault({ method: "POST", path: "/api/v2/integrations/botconnectors/outgoing/messages", status: 429, retryAfter: 7 });
    slow.open();
    expect(await setup.clock.next("retry")).toBe(7000);
    await setup.outgoing.acceptedCount(1);
    expect(setup.outgoing.accepted[0]?.body.botState).toBe("Complete");
    expect(await metric(setup, /^botconnector_genesys_api_retries_total\{status="429"\}/)).toBe(1);
  });

  test("5xx answers are retried with backoff; a slow API only delays the delivery", async () => {
    const { slow } = await slowTurn(setup, "A-12345");
    setup.platform.injectFault({ method: "POST", path: "/api/v2/integrations/botconnectors/outgoing/messages", status: 503, times: 2 });
    slow.open();
    await setup.clock.next("retry");
    const held = setup.outgoing.hold();
    await setup.clock.next("retry");
    await held.reached;
    expect(setup.outgoing.accepted).toHaveLength(0);
    held.release();
    await setup.outgoing.acceptedCount(1);
    await setup.svc.service.digital?.turns.idle();
    expect(await metric(setup, /^botconnector_genesys_api_retries_total\{status="503"\}/)).toBe(2);
  });

  test("a delivery that keeps failing is given up at its deadline, counted and logged", async () => {
    await setup.close();
    setup = await startDigital({ bots: "assistant", env: { DBC_LATER_BUDGET_MS: "5000", DBC_DELIVERY_TIMEOUT_MS: "5000" } });
    const { slow } = await slowTurn(setup, "A-12345");
    setup.platform.injectFault({ method: "POST", path: "/api/v2/integrations/botconnectors/outgoing/messages", status: 500, times: 1000 });
    slow.open();
    const done = setup.svc.service.digital?.turns.idle();
    let retries = 0;
    while (setup.svc.service.digital?.turns.deferredCount) {
      const next = await Promise.race([setup.clock.waiting("retry").then(() => "retry" as const), done?.then(() => "done" as const)]);
      if (next === "done") break;
      setup.clock.release("retry");
      retries++;
    }
    await done;
    expect(retries).toBeGreaterThan(0);
    expect(await metric(setup, /^botconnector_dbc_deliveries_total\{kind="outcome",result="gave_up"\}/)).toBe(1);
    const line = setup.svc.logs.lines.find((l) => l.msg === "reply not delivered");
    expect(line).toMatchObject({ result: "gave_up", kind: "outcome", botSessionId: expect.any(String), messageId: expect.any(String) });
  });

  test("409 session.already.closed: not retried, the session's state is dropped", async () => {
    const { genesys, slow } = await slowTurn(setup, "A-12345");
    setup.outgoing.close(genesys.botSessionId);
    slow.open();
    await setup.svc.service.digital?.turns.idle();
    expect(setup.outgoing.received).toHaveLength(1);
    expect(await setup.svc.service.store.load(genesys.botSessionId)).toBeUndefined();
    expect(await metric(setup, /^botconnector_dbc_deliveries_total\{kind="outcome",result="session_closed"\}/)).toBe(1);
  });

  test("409 session.bot.version.mismatch is a bug: logged as an error, never retried", async () => {
    const { genesys, slow } = await slowTurn(setup, "A-12345");
    setup.outgoing.open(genesys.botSessionId, BOT.botId, "1.0");
    slow.open();
    await setup.svc.service.digital?.turns.idle();
    expect(setup.outgoing.received).toHaveLength(1);
    expect(setup.svc.logs.lines.find((l) => l.msg === "reply refused by Genesys")).toMatchObject({ level: 50, result: "mismatch" });
  });

  test("a Failed outcome whose errorInfo keys Genesys refuses (400) is sent again without errorInfo", async () => {
    setup.outgoing.errorInfoKeys = "spec";
    const { slow } = await slowTurn(setup, "A-12345", () => ({ action: "bogus" }));
    slow.open();
    await setup.outgoing.acceptedCount(1);
    const failed = setup.outgoing.accepted[0]?.body as Record<string, unknown>;
    expect(failed.botState).toBe("Failed");
    expect(failed).not.toHaveProperty("errorInfo");
    expect(replyTexts(failed)).toEqual([]);
    expect(setup.outgoing.received.map((b) => "errorInfo" in b)).toEqual([true, false]);
  });

  test("the OAuth token is fetched once and reused; a token that stopped working is replaced once", async () => {
    const first = await slowTurn(setup, "A-12345");
    first.slow.open();
    await setup.svc.service.digital?.turns.idle();
    const second = await slowTurn(setup, "A-12345");
    second.slow.open();
    await setup.svc.service.digital?.turns.idle();
    expect(setup.platform.tokensIssued).toBe(1);
    setup.platform.expireAllTokens();
    const third = await slowTurn(setup, "A-12345");
    third.slow.open();
    await setup.svc.service.digital?.turns.idle();
    expect(setup.platform.tokensIssued).toBe(2);
    expect(setup.outgoing.accepted).toHaveLength(3);
  });

  test("over DBC_MAX_DEFERRED turns answered later, one more that outlasts the window ends Failed at once", async () => {
    await setup.close();
    setup = await startDigital({ bots: "assistant", env: { DBC_MAX_DEFERRED: "1" } });
    const first = await slowTurn(setup, "A-12345");
    const second = await slowTurn(setup, "A-54321");
    expect(second.answer.body).toMatchObject({ botState: "Failed", errorInfo: { errorCode: "TOO_MANY_LATER_REPLIES" } });
    first.slow.open();
    second.slow.open();
    await setup.svc.service.digital?.turns.idle();
    expect(setup.outgoing.accepted.map((m) => m.body.botSessionId)).toEqual([first.genesys.botSessionId]);
    expect(await metric(setup, /^botconnector_dbc_messages_total\{outcome="over_limit"\}/)).toBe(1);
  });

  test("a task that stops with a reply pending ends the session Failed (the flow apologises), logged and counted", async () => {
    const { genesys } = await slowTurn(setup, "A-12345");
    const closing = setup.svc.service.close();
    await setup.clock.next("grace");
    await closing;
    expect(setup.outgoing.accepted).toHaveLength(1);
    expect(setup.outgoing.accepted[0]?.body).toMatchObject({
      botSessionId: genesys.botSessionId,
      botState: "Failed",
      errorInfo: { code: "SERVICE_STOPPING" },
    });
    expect(setup.outgoing.accepted[0]?.body).not.toHaveProperty("replyMessages");
    expect(setup.svc.logs.lines.find((l) => /service is stopping before this reply/.test(String(l.msg)))).toMatchObject({ botSessionId: genesys.botSessionId });
  });
});

describe("a reply abandoned by a task that died", () => {
  let setup: DigitalSetup;
  beforeEach(async () => {
    setup = await startDigital();
  });
  afterEach(() => setup.close());

  /** Leaves the mark a task leaves when it dies while answering a message later. */
  async function markPending(botSessionId: string, leaseUntil: number) {
    const store = setup.svc.service.store;
    const stored = await store.load(botSessionId);
    const state = stored?.state as LaterSessionState;
    const answer = { botState: "MoreData" as const, replyMessages: [] };
    const pending = { messageId: "lost-message", owner: "another-task", since: leaseUntil - 1000, leaseUntil, phase: "running" as const, answer };
    const marked: LaterSessionState = { ...state, later: { pending } };
    await store.save(botSessionId, marked, { expectedVersion: stored?.version, ttlSeconds: 3600 });
  }

  test("while its lease runs, another task's pending reply makes the session busy", async () => {
    const genesys = new DigitalGenesys(setup);
    await genesys.say("");
    await markPending(genesys.botSessionId, setup.clock.now() + 60_000);
    const res = await genesys.say("track");
    expect(res.body).toEqual({ botState: "MoreData", replyMessages: [] });
  });

  test("once its lease expired, the next message logs the abandoned reply and the session goes on", async () => {
    const genesys = new DigitalGenesys(setup);
    await genesys.say("");
    await markPending(genesys.botSessionId, setup.clock.now() - 1);
    const res = await genesys.say("track");
    expect(replyTexts(res.body)).toEqual(["What's your order number? It looks like A-12345."]);
    expect(setup.svc.logs.lines.find((l) => l.abandonedMessageId === "lost-message")).toMatchObject({ level: 40, phase: "running", owner: "another-task" });
    expect(await metric(setup, /^botconnector_dbc_abandoned_total\{reason="lease_expired"\}/)).toBe(1);
    expect(await storedLater(setup, genesys.botSessionId)).toBeUndefined();
  });
});
