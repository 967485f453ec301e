/**
 * The participant data writer against the local fake of the Platform API: client-credentials tokens (fetched once,
 * renewed before expiry, refreshed after a 401), the customer participant found from the conversation, the
 * attributes written within their bounds, 429 and 5xx answers, bounded concurrency, and failures that are counted
 * and logged, never thrown.
 */
import pino from "pino";
import { loadConfig } from "../../service/src/config";
import { type HandoverContext } from "../../service/src/handover/context";
import { createParticipantDataWriter, type ParticipantDataWriter } from "../../service/src/handover/participantData";
import { ServiceMetrics } from "../../service/src/observability/metrics";
import { bindLogger, type TurnLogger } from "../../service/src/observability/logger";
import { FakeGenesysPlatform } from "../fakes/genesysPlatform";
import { LogCapture, TOKEN } from "../service/harness";
import { eventually, LOAD_TOLERANCE_MS, TIMER_SLACK_MS, UNHURRIED_MS } from "../support/time";
import { FakeConversations } from "./fakeConversations";

const CLIENT = { clientId: "va-service-client", clientSecret: "va-service-client-secret-0123456789" };

let fake: FakeGenesysPlatform;
const conversations = new FakeConversations();

beforeAll(async () => {
  fake = await FakeGenesysPlatform.start({ plugins: [conversations.plugin()], tokenLifetimeSeconds: 3600 });
  fake.addClient(CLIENT);
});
afterAll(() => fake.close());
afterEach(() => {
  conversations.reset();
  fake.clearFaults();
  fake.calls.length = 0;
});

interface Harness {
  writer: ParticipantDataWriter;
  metrics: ServiceMetrics;
  logs: LogCapture;
  log: TurnLogger;
  /** The Platform API client's clock: token lifetimes pass when the test moves it. */
  clock: { now: number };
  /** The waits the client asked for between retries, in order (they take no time). */
  waits: number[];
  /** Resolves once the writer has nothing queued or in flight. */
  settle(): Promise<void>;
}

function writerWith(env: Record<string, string> = {}, baseUrl = fake.url): Harness {
  const config = loadConfig({
    VERIFY_TOKEN: TOKEN,
    HANDOVER_CONTEXT: "participant-data",
    GENESYS_CLIENT_ID: CLIENT.clientId,
    GENESYS_CLIENT_SECRET: CLIENT.clientSecret,
    GENESYS_API_BASE_URL: baseUrl,
    GENESYS_LOGIN_BASE_URL: baseUrl,
    ...env,
  });
  const metrics = new ServiceMetrics({ defaultMetrics: false });
  const logs = new LogCapture();
  const logger = pino({ level: "info" }, logs);
  const clock = { now: Date.now() };
  const waits: number[] = [];
  const writer = createParticipantDataWriter(config.handoverContext!, { metrics, logger, now: () => clock.now, sleep: async (ms) => void waits.push(ms) });
  const log: TurnLogger = bindLogger(logger, {});
  return {
    writer,
    metrics,
    logs,
    log,
    clock,
    waits,
    async settle() {
      await eventually(async () => (await metrics.handoverPending.get()).values[0]?.value === 0, "the writer to finish");
    },
  };
}

function context(conversationId: string, patch: Partial<HandoverContext> = {}): HandoverContext {
  return {
    genesysConversationId: conversationId,
    botSessionId: "session-42",
    bot: { id: "acme-support", version: "1.0" },
    outcome: "handover",
    intent: "AgentRequested",
    reason: "customer asked for an agent",
    slots: { reason: "customer request", topic: "order" },
    variables: { topic: "order", orderNumber: "A-12345" },
    transcript: [
      { customer: "", bot: ["Hi there! I'm Ava.", "What can I help you with?"] },
      { customer: "track", bot: ["What's your order number?"] },
      { customer: "I want a human", bot: ["Sure, I'm connecting you with a colleague now."] },
    ],
    at: new Date("2026-03-10T10:00:00Z"),
    ...patch,
  };
}

const writes = async (metrics: ServiceMetrics) => Object.fromEntries((await metrics.handoverWrites.get()).values.map((v) => [v.labels.outcome, v.value]));

describe("writing hand-over context to participant data", () => {
  test("finds the customer participant and writes the attributes under the prefix", async () => {
    const h = writerWith();
    const { conversationId, customerId } = conversations.add();
    h.writer.submit(context(conversationId), h.log);
    await h.settle();
    expect(conversations.patches).toHaveLength(1);
    expect(conversations.patches[0]!.participantId).toBe(customerId);
    expect(conversations.customer(conversationId)!.attributes).toEqual({
      "context.customerName": "Ada",
      "virtualAgent.context.outcome": "handover",
      "virtualAgent.context.reason": "customer asked for an agent",
      "virtualAgent.context.intent": "AgentRequested",
      "virtualAgent.context.slots": "reason: customer request\ntopic: order",
      "virtualAgent.context.variables": "topic: order\norderNumber: A-12345",
      "virtualAgent.context.transcript":
        "Bot: Hi there! I'm Ava.\nBot: What can I help you with?\nCustomer: track\nBot: What's your order number?\nCustomer: I want a human\nBot: Sure, I'm connecting you with a colleague now.",
      "virtualAgent.context.bot": "acme-support@1.0",
      "virtualAgent.context.botSessionId": "session-42",
      "virtualAgent.context.time": "2026-03-10T10:00:00.000Z",
    });
    expect(await writes(h.metrics)).toEqual({ written: 1 });
    expect(fake.calls.map((c) => `${c.method} ${c.path.replace(conversationId, "{id}").replace(customerId, "{pid}")} ${c.status}`)).toEqual([
      "POST /oauth/token 200",
      "GET /api/v2/conversations/messages/{id} 200",
      "PATCH /api/v2/conversations/messages/{id}/participants/{pid}/attributes 200",
    ]);
  });

  test("skips the flow, queue and agent participants and a customer leg that has disconnected", async () => {
    const h = writerWith();
    const { conversationId } = conversations.add("conv-transferred", [
      { id: "old-leg", purpose: "customer", state: "disconnected", attributes: {} },
      { id: "flow", purpose: "workflow", state: "connected", attributes: {} },
      { id: "queue", purpose: "acd", state: "connected", attributes: {} },
      { id: "new-leg", purpose: "customer", state: "connected", attributes: {} },
    ]);
    h.writer.submit(context(conversationId), h.log);
    await h.settle();
    expect(conversations.patches.map((p) => p.participantId)).toEqual(["new-leg"]);
  });

  test("one token for many writes, and the participant looked up once per conversation", async () => {
    const h = writerWith();
    const before = fake.tokensIssued;
    const { conversationId } = conversations.add();
    for (let i = 0; i < 3; i++) h.writer.submit(context(conversationId, { reason: `reason ${i}` }), h.log);
    await h.settle();
    expect(fake.tokensIssued - before).toBe(1);
    expect(fake.calls.filter((c) => c.method === "GET")).toHaveLength(1);
    expect(conversations.patches).toHaveLength(3);
  });

  test("a revoked token: the 401 is answered with a fresh token, once", async () => {
    const h = writerWith();
    const { conversationId } = conversations.add();
    h.writer.submit(context(conversationId), h.log);
    await h.settle();
    const issued = fake.tokensIssued;
    fake.expireAllTokens();
    h.writer.submit(context(conversationId, { reason: "again" }), h.log);
    await h.settle();
    expect(fake.tokensIssued).toBe(issued + 1);
    expect(fake.calls.filter((c) => c.status === 401)).toHaveLength(1);
    expect(conversations.customer(conversationId)!.attributes["virtualAgent.context.reason"]).toBe("again");
  });

  test("a token is renewed before it expires (no 401 needed)", async () => {
    const h = writerWith();
    const { conversationId } = conversations.add();
    h.writer.submit(context(conversationId), h.log);
    await h.settle();
    const issued = fake.tokensIssued;
    // The fake's tokens live an hour; the client renews 5 minutes before the end.
    h.clock.now += 55 * 60_000;
    h.writer.submit(context(conversationId), h.log);
    await h.settle();
    expect(fake.tokensIssued).toBe(issued + 1);
    expect(fake.calls.filter((c) => c.status === 401)).toEqual([]);
    expect(conversations.patches).toHaveLength(2);
  });

  test("429 with Retry-After: waits as told and writes; counted as a retry", async () => {
    const h = writerWith();
    const { conversationId } = conversations.add();
    fake.injectFault({ method: "PATCH", path: "/api/v2/conversations/messages/", status: 429, retryAfter: 1 });
    h.writer.submit(context(conversationId), h.log);
    await h.settle();
    expect(h.waits).toEqual([1000]);
    expect(conversations.patches).toHaveLength(1);
    expect(await writes(h.metrics)).toEqual({ written: 1 });
    expect((await h.metrics.genesysApiRetries.get()).values).toEqual([expect.objectContaining({ labels: { status: "429" }, value: 1 })]);
  });

  test("5xx: retried with backoff, then written", async () => {
    const h = writerWith();
    const { conversationId } = conversations.add();
    fake.injectFault({ method: "GET", path: "/api/v2/conversations/messages/", status: 503, times: 2 });
    h.writer.submit(context(conversationId), h.log);
    await h.settle();
    expect(conversations.patches).toHaveLength(1);
    // Exponential from 200 ms with equal jitter: 100-200 ms, then 200-400 ms.
    expect(h.waits).toEqual([expect.any(Number), expect.any(Number)]);
    expect(h.waits[0]).toBeGreaterThanOrEqual(100);
    expect(h.waits[0]).toBeLessThanOrEqual(200);
    expect(h.waits[1]).toBeGreaterThanOrEqual(200);
    expect(h.waits[1]).toBeLessThanOrEqual(400);
    expect((await h.metrics.genesysApiRetries.get()).values).toEqual([expect.objectContaining({ labels: { status: "503" }, value: 2 })]);
  });

  test("a persistent 500 gives up after the retries: counted and logged, never thrown", async () => {
    const h = writerWith();
    const { conversationId } = conversations.add();
    fake.injectFault({ method: "PATCH", path: "/api/v2/conversations/messages/", status: 500, times: 10 });
    h.writer.submit(context(conversationId), h.log);
    await h.settle();
    expect(conversations.patches).toHaveLength(0);
    expect(await writes(h.metrics)).toEqual({ api_error: 1 });
    const line = h.logs.lines.find((l) => l.msg === "hand-over context not written");
    expect(line).toMatchObject({ level: 40, outcome: "api_error", status: 500 });
    // Neither the transcript nor a secret reaches the logs.
    expect(h.logs.raw.join("\n")).not.toMatch(/I want a human|A-12345|va-service-client-secret/);
  });

  test.each([
    ["an unknown conversation", "not_found", () => "no-such-conversation"],
    ["a conversation without a customer", "no_customer", () => conversations.add("conv-flow-only", [{ id: "flow", purpose: "workflow", state: "connected", attributes: {} }]).conversationId],
    ["no conversation id at all", "no_conversation", () => ""],
  ])("%s: counted as %s", async (_name, outcome, conversation) => {
    const h = writerWith();
    h.writer.submit(context(conversation()), h.log);
    await h.settle();
    expect(await writes(h.metrics)).toEqual({ [outcome]: 1 });
    expect(conversations.patches).toHaveLength(0);
  });

  test("wrong client credentials: auth_error, and the secret never in the log", async () => {
    const h = writerWith({ GENESYS_CLIENT_SECRET: "a-wrong-secret-0123456789abcdef" });
    const { conversationId } = conversations.add();
    h.writer.submit(context(conversationId), h.log);
    await h.settle();
    expect(await writes(h.metrics)).toEqual({ auth_error: 1 });
    expect(h.logs.raw.join("\n")).not.toContain("a-wrong-secret");
  });

  test("at most HANDOVER_CONTEXT_CONCURRENCY writes at once; the rest wait their turn", async () => {
    const h = writerWith({ HANDOVER_CONTEXT_CONCURRENCY: "2" });
    conversations.holding = true;
    const ids = Array.from({ length: 6 }, () => conversations.add().conversationId);
    for (const id of ids) h.writer.submit(context(id), h.log);
    await eventually(() => conversations.held === 2, "two writes at the API");
    conversations.release();
    await h.settle();
    expect(conversations.patches).toHaveLength(6);
    expect(conversations.maxInFlight).toBe(2);
  });

  test("a write past its deadline is abandoned as a timeout", async () => {
    const TIMEOUT = 500;
    const h = writerWith({ HANDOVER_CONTEXT_TIMEOUT_MS: String(TIMEOUT) });
    conversations.holding = true;
    const { conversationId } = conversations.add();
    const started = performance.now();
    h.writer.submit(context(conversationId), h.log);
    await h.settle();
    const elapsed = performance.now() - started;
    expect(await writes(h.metrics)).toEqual({ timeout: 1 });
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT - TIMER_SLACK_MS);
    expect(elapsed).toBeLessThan(TIMEOUT + LOAD_TOLERANCE_MS);
  });

  test("close waits for the writes in flight to finish", async () => {
    const h = writerWith({ HANDOVER_CONTEXT_CONCURRENCY: "1" });
    conversations.holding = true;
    h.writer.submit(context(conversations.add().conversationId), h.log);
    await eventually(() => conversations.held === 1, "the write at the API");
    const closed = h.writer.close(UNHURRIED_MS);
    conversations.release();
    await closed;
    expect(await writes(h.metrics)).toEqual({ written: 1 });
  });

  test("close waits its grace for the write in flight, then abandons it and drops what is queued and what comes after", async () => {
    const GRACE = 200;
    const h = writerWith({ HANDOVER_CONTEXT_CONCURRENCY: "1" });
    conversations.holding = true;
    const ids = Array.from({ length: 3 }, () => conversations.add().conversationId);
    for (const id of ids) h.writer.submit(context(id), h.log);
    await eventually(() => conversations.held === 1, "the first write at the API");
    const started = performance.now();
    await h.writer.close(GRACE);
    expect(performance.now() - started).toBeGreaterThanOrEqual(GRACE - TIMER_SLACK_MS);
    await h.settle();
    // The one in flight is cut off by the stop (a timeout), the two queued are dropped.
    expect(await writes(h.metrics)).toEqual({ timeout: 1, dropped: 2 });
    h.writer.submit(context(ids[0]!), h.log);
    expect((await writes(h.metrics)).dropped).toBe(3);
  });
});
