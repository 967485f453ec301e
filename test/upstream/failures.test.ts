/**
 * Agents that are slow, failing, unreachable or answer garbage, over real HTTP: the turn is answered in time with
 * a clean answer (the node's onFailure path, or Failed with errorInfo), retries happen only when safe, and the
 * turn budget is never exceeded. Which limit ended a call shows in the answer and the log, not in how long it took;
 * time bounds are the configured ones plus the stated tolerance (test/support/time.ts).
 */
import { createServer } from "node:net";
import { budgetMargin, upstreamReserve } from "../../service/src/turn";
import { BOT_STATES } from "../../service/src/protocol/types";
import { texts, turnBody } from "../service/harness";
import { LOAD_TOLERANCE_MS, TIMER_SLACK_MS, UNHURRIED_MS } from "../support/time";
import { atOrdersAgent, DIRECT_BOT, metricsText, startUpstreamSetup, type UpstreamSetup } from "./harness";

/** The orders agent's own timeout (test/fixtures/bots/acme-orders.yaml). */
const ORDERS_TIMEOUT_MS = 2000;

// A budget no turn comes near: the agents' own limits are what these tests are about.
let setup: UpstreamSetup;
beforeAll(async () => {
  setup = await startUpstreamSetup({ TURN_BUDGET_MS: String(UNHURRIED_MS) });
});
afterEach(() => {
  setup.orders.reset();
  setup.direct.reset();
});
afterAll(() => setup.close());

async function askDirect(text = "hello", on: UpstreamSetup = setup) {
  const started = performance.now();
  const res = await on.svc.post(turnBody({ ...DIRECT_BOT, inputMessage: { type: "Text", text } }));
  return { ...res, elapsed: performance.now() - started };
}

/**
 * What Genesys must always get: 200, a known botState, messages it can render; a Failed answer carries none (the
 * flow's failure path sends the one apology, in the customer's language).
 */
function expectCleanAnswer(res: { status: number; body: Record<string, unknown> }) {
  expect(res.status).toBe(200);
  expect(BOT_STATES).toContain(res.body.botState);
  const messages = res.body.replymessages as Array<{ type: string; text?: string }>;
  if (res.body.botState === "Failed") expect(messages).toEqual([]);
  else expect(messages.length).toBeGreaterThan(0);
  for (const m of messages) expect(["Text", "Structured"]).toContain(m.type);
}

describe("slow agents", () => {
  test("slower than the agent's own timeout: the node's onFailure path answers, after the timeout", async () => {
    const { chat } = await atOrdersAgent(setup.svc);
    setup.orders.enqueue({ kind: "hang" });
    const logged = setup.svc.logs.lines.length;
    const started = performance.now();
    const res = await chat.say("A-12345");
    const elapsed = performance.now() - started;
    expect(res).toMatchObject({ botState: "Complete", intent: "AgentRequested", parameters: { handoverReason: "the orders agent is unavailable" } });
    expect(texts(res)).toEqual(["Our order desk is busy. Let me get you to a colleague."]);
    // The agent's own timeout ended the call, not the turn's budget (that one would say how much was left).
    const failure = setup.svc.logs.lines.slice(logged).find((l) => l.msg === `upstream call failed: upstream "orders" did not answer within ${ORDERS_TIMEOUT_MS} ms`);
    expect(failure).toMatchObject({ outcome: "timeout", errorCode: "UPSTREAM_TIMEOUT" });
    expect(elapsed).toBeGreaterThanOrEqual(ORDERS_TIMEOUT_MS - TIMER_SLACK_MS);
    expect(elapsed).toBeLessThan(ORDERS_TIMEOUT_MS + LOAD_TOLERANCE_MS);
    expect(await metricsText(setup.svc)).toMatch(/botconnector_upstream_calls_total\{upstream="acme-orders\/orders",outcome="timeout"\} 1/);
  });
});

describe("an agent slower than the turn budget", () => {
  // The assistant's own timeout (5 s) never fits: the budget ends every call.
  const BUDGET = 1000;
  /** When the service gives up on the agent: the budget less its answer margin and what it keeps for saving. */
  const CALL_DEADLINE = BUDGET - budgetMargin(BUDGET) - upstreamReserve(BUDGET);
  let tight: UpstreamSetup;
  beforeAll(async () => {
    tight = await startUpstreamSetup({ TURN_BUDGET_MS: String(BUDGET) });
    tight.direct.fallback = { kind: "hang" };
  });
  afterAll(() => tight.close());

  test("answered Failed UPSTREAM_TIMEOUT by the budget, and the session saved", async () => {
    const res = await askDirect("hello", tight);
    expectCleanAnswer(res);
    // UPSTREAM_TIMEOUT, not TURN_BUDGET_EXCEEDED: the call ended before the turn's deadline, leaving time to save.
    expect(res.body).toMatchObject({ botState: "Failed", errorInfo: { errorCode: "UPSTREAM_TIMEOUT" } });
    expect(texts(res.body)).toEqual([]);
    expect(res.elapsed).toBeGreaterThanOrEqual(CALL_DEADLINE - TIMER_SLACK_MS);
    expect(res.elapsed).toBeLessThan(BUDGET + LOAD_TOLERANCE_MS);
    const stored = await tight.svc.service.store.load(tight.direct.calls[0]!.body!.botSessionId);
    expect(stored?.state.ended).toBe("Failed");
  });

  test("20 turns at once: every one answered Failed UPSTREAM_TIMEOUT by the budget", async () => {
    const logged = tight.svc.logs.lines.length;
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => askDirect(`turn ${i}`, tight)));
    for (const res of answers) {
      expectCleanAnswer(res);
      expect(res.body.errorInfo).toMatchObject({ errorCode: "UPSTREAM_TIMEOUT" });
      expect(res.elapsed).toBeLessThan(BUDGET + LOAD_TOLERANCE_MS);
    }
    // Seen from the service, from the request's arrival to its answer.
    const turns = tight.svc.logs.lines.slice(logged).filter((l) => l.msg === "turn");
    expect(turns).toHaveLength(20);
    for (const line of turns) expect(line.latencyMs as number).toBeLessThan(BUDGET + LOAD_TOLERANCE_MS);
  });
});

describe("failing agents and when a retry is safe", () => {
  test("500: not retried (the agent may have acted); Failed UPSTREAM_ERROR", async () => {
    setup.direct.enqueue({ kind: "status", status: 500 });
    const res = await askDirect();
    expectCleanAnswer(res);
    expect(res.body.errorInfo).toEqual({ errorCode: "UPSTREAM_ERROR", errorMessage: 'upstream "assistant" answered 500' });
    expect(setup.direct.accepted).toHaveLength(1);
  });

  test("502 and 504 are not retried either", async () => {
    for (const status of [502, 504]) {
      setup.direct.reset();
      setup.direct.enqueue({ kind: "status", status });
      expect((await askDirect()).body.errorInfo).toMatchObject({ errorCode: "UPSTREAM_ERROR" });
      expect(setup.direct.accepted).toHaveLength(1);
    }
  });

  test("503 then success: retried once, with the same Idempotency-Key", async () => {
    setup.direct.enqueue({ kind: "status", status: 503 }, { kind: "reply", reply: () => ({ action: "continue", messages: [{ text: "second time lucky" }] }) });
    const res = await askDirect();
    expect(texts(res.body)).toEqual(["second time lucky"]);
    const [first, second] = setup.direct.accepted;
    expect(second!.headers["idempotency-key"]).toBe(first!.headers["idempotency-key"]);
    expect(second!.body).toEqual(first!.body);
    expect(await metricsText(setup.svc)).toMatch(/botconnector_upstream_retries_total\{upstream="acme-direct\/assistant",reason="status_503"\} 1/);
  });

  test("429 with a Retry-After that fits the budget: retried after it", async () => {
    setup.direct.enqueue({ kind: "status", status: 429, retryAfter: "0.2" }, { kind: "reply", reply: () => ({ action: "continue", messages: [{ text: "ok now" }] }) });
    const res = await askDirect();
    expect(texts(res.body)).toEqual(["ok now"]);
    const [first, second] = setup.direct.accepted;
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(200 - TIMER_SLACK_MS);
  });

  test("429 with a Retry-After beyond the budget: not retried, answered at once", async () => {
    const retries = async () => Number(/botconnector_upstream_retries_total\{upstream="acme-direct\/assistant",reason="status_429"\} (\d+)/.exec(await metricsText(setup.svc))?.[1] ?? 0);
    const retriedBefore = await retries();
    setup.direct.enqueue({ kind: "status", status: 429, retryAfter: "60" });
    const res = await askDirect();
    // The 429 itself is the answer (waiting would have ended in a timeout), and no retry was counted.
    expect(res.body.errorInfo).toEqual({ errorCode: "UPSTREAM_ERROR", errorMessage: 'upstream "assistant" answered 429' });
    expect(setup.direct.accepted).toHaveLength(1);
    expect(await retries()).toBe(retriedBefore);
  });

  test("at most maxAttempts: two 503s end the call", async () => {
    setup.direct.enqueue({ kind: "status", status: 503 }, { kind: "status", status: 503 }, { kind: "reply", reply: () => ({ action: "continue", messages: [{ text: "never" }] }) });
    const res = await askDirect();
    expect(res.body.errorInfo).toMatchObject({ errorCode: "UPSTREAM_ERROR" });
    expect(setup.direct.accepted).toHaveLength(2);
  });

  test("a connection dropped after the request was sent: not retried; Failed UPSTREAM_UNREACHABLE", async () => {
    setup.direct.enqueue({ kind: "drop" }, { kind: "reply", reply: () => ({ action: "continue", messages: [{ text: "never" }] }) });
    const res = await askDirect();
    expectCleanAnswer(res);
    expect(res.body.errorInfo).toMatchObject({ errorCode: "UPSTREAM_UNREACHABLE" });
    expect(setup.direct.accepted).toHaveLength(1);
  });

  test("a failure with onFailure continues in the bot; without, the session ends Failed", async () => {
    const { chat } = await atOrdersAgent(setup.svc);
    setup.orders.enqueue({ kind: "status", status: 500 });
    expect(await chat.say("A-11111")).toMatchObject({ botState: "Complete", intent: "AgentRequested" });
  });
});

describe("an unreachable agent", () => {
  let unreachable: UpstreamSetup;
  let closedPort: number;
  beforeAll(async () => {
    // A port that was free a moment ago: nothing listens there, so connections are refused.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    closedPort = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    unreachable = await startUpstreamSetup({ TURN_BUDGET_MS: String(UNHURRIED_MS), DIRECT_AGENT_URL: `http://127.0.0.1:${closedPort}/agent` });
  });
  afterAll(() => unreachable.close());

  test("connection refused: retried once (nothing was sent), then Failed UPSTREAM_UNREACHABLE, without waiting for the budget", async () => {
    const res = await unreachable.svc.post(turnBody({ ...DIRECT_BOT, inputMessage: { type: "Text", text: "anyone?" } }));
    expectCleanAnswer(res);
    // UNREACHABLE, not a timeout: the refusal ended the call.
    expect(res.body).toMatchObject({ botState: "Failed", errorInfo: { errorCode: "UPSTREAM_UNREACHABLE" } });
    expect(String((res.body.errorInfo as { errorMessage: string }).errorMessage)).toMatch(/ECONNREFUSED/);
    const metrics = await metricsText(unreachable.svc);
    expect(metrics).toMatch(/botconnector_upstream_retries_total\{upstream="acme-direct\/assistant",reason="connection_refused"\} 1/);
    expect(metrics).toMatch(/botconnector_upstream_calls_total\{upstream="acme-direct\/assistant",outcome="unreachable"\} 1/);
  });
});

describe("invalid replies become a clean Failed, never a broken answer", () => {
  const cases: Array<[string, () => unknown, RegExp]> = [
    ["an undeclared intent", () => ({ action: "complete", intent: "Refund" }), /\/intent: intent "Refund" is not one this node allows/],
    ["a handover with an intent not marked handover", () => ({ action: "handover", intent: "OrderStatus", reason: "x" }), /not a hand-over intent/],
    ["an undeclared slot", () => ({ action: "complete", intent: "OrderStatus", slots: { colour: "red" } }), /\/slots\/colour: slot "colour" is not declared/],
    ["a slot value of the wrong type", () => ({ action: "complete", intent: "OrderStatus", slots: { itemCount: "many" } }), /\/slots\/itemCount: is not a valid Integer/],
    ["11 cards in a carousel", () => ({ action: "continue", messages: [{ carousel: Array.from({ length: 11 }, (_, i) => ({ title: `c${i}`, actions: [{ type: "postback", label: "x", payload: `p${i}` }] })) }] }), /\/messages\/0\/carousel: must NOT have more than 10 items/],
    ["payloads repeated across a carousel", () => ({ action: "continue", messages: [{ carousel: [1, 2].map((i) => ({ title: `c${i}`, actions: [{ type: "postback", label: "x", payload: "same" }] })) }] }), /payload "same" is already used/],
    ["a text over the channel limit", () => ({ action: "continue", messages: [{ text: "x".repeat(4001) }] }), /\/messages\/0\/text: must NOT have more than 4000 characters/],
    ["a parameter that is not a string", () => ({ action: "complete", intent: "OrderStatus", parameters: { lastTopic: 7 } }), /\/parameters\/lastTopic: must be string/],
    ["an undeclared parameter", () => ({ action: "complete", intent: "OrderStatus", parameters: { secret: "x" } }), /parameter "secret" is not one the node declares/],
    ["an undeclared variable", () => ({ action: "continue", messages: [{ text: "hi" }], variables: { admin: true } }), /variable "admin" is not one the node lets the agent set/],
    ["continue without a message", () => ({ action: "continue" }), /missing required property "messages"/],
    ["return from a node without next", () => ({ action: "return" }), /"return" is not allowed here/],
    ["a payload with the reserved #", () => ({ action: "continue", messages: [{ text: "a", quickReplies: [{ label: "b", payload: "x#y" }] }] }), /payload: must match pattern/],
    ["an unknown property", () => ({ action: "continue", messages: [{ text: "a" }], mood: "happy" }), /\/mood: is not a known property/],
    ["an unknown action", () => ({ action: "dance" }), /\/action: must be one of/],
    ["no JSON object at all", () => [1, 2, 3], /must be object/],
  ];

  test.each(cases)("%s", async (_name, reply, problem) => {
    setup.direct.enqueue({ kind: "reply", reply });
    const res = await askDirect();
    expectCleanAnswer(res);
    expect(res.body.botState).toBe("Failed");
    expect(res.body.intent).toBeUndefined();
    expect(res.body.slotValues).toBeUndefined();
    expect(res.body.errorInfo).toMatchObject({ errorCode: "UPSTREAM_INVALID_RESPONSE" });
    expect((res.body.errorInfo as { errorMessage: string }).errorMessage).toMatch(problem);
    expect(texts(res.body)).toEqual([]);
  });

  test.each([
    ["HTML instead of JSON", "text/html", "<html>oops</html>", /content type "text\/html" is not application\/json/],
    ["JSON content type, not JSON", "application/json", "{not json", /the body is not JSON/],
    ["a reply larger than 256 KiB", "application/json", JSON.stringify({ action: "continue", messages: [{ text: "x".repeat(300 * 1024) }] }), /larger than 262144 bytes/],
  ])("%s", async (_name, contentType, body, problem) => {
    setup.direct.enqueue({ kind: "raw", contentType, body });
    const res = await askDirect();
    expectCleanAnswer(res);
    expect(res.body.errorInfo).toMatchObject({ errorCode: "UPSTREAM_INVALID_RESPONSE" });
    expect((res.body.errorInfo as { errorMessage: string }).errorMessage).toMatch(problem);
  });

  test("the slot value itself never appears in errorInfo (it may be customer data)", async () => {
    setup.direct.enqueue({ kind: "reply", reply: () => ({ action: "complete", intent: "OrderStatus", slots: { itemCount: "ada@example.com" } }) });
    const res = await askDirect();
    expect(JSON.stringify(res.body)).not.toContain("ada@example.com");
  });
});
