/**
 * Hand-over context end to end: the service over HTTP with HANDOVER_CONTEXT=participant-data, the sample bot, and
 * the local fake of the Platform API. A hand-over intent and a Failed turn write the context to the customer
 * participant after the answer; the answer and its latency do not change when the API is down; the feature is off
 * (and keeps no transcript) unless configured.
 */
import { createServer } from "node:net";
import { type ConfigError, loadConfig } from "../../service/src/config";
import { FakeGenesysPlatform } from "../fakes/genesysPlatform";
import { Conversation, startService, TOKEN, type TestService } from "../service/harness";
import { FakeConversations } from "./fakeConversations";

const CLIENT = { clientId: "va-service-client", clientSecret: "va-service-client-secret-0123456789" };

async function waitFor(check: () => boolean, ms = 5000): Promise<void> {
  for (const started = Date.now(); !check(); ) {
    if (Date.now() - started > ms) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const handoverEnv = (baseUrl: string, extra: Record<string, string> = {}) => ({
  HANDOVER_CONTEXT: "participant-data",
  GENESYS_CLIENT_ID: CLIENT.clientId,
  GENESYS_CLIENT_SECRET: CLIENT.clientSecret,
  GENESYS_API_BASE_URL: baseUrl,
  GENESYS_LOGIN_BASE_URL: baseUrl,
  ...extra,
});

/** Talks to the sample bot until it hands over at the customer's request; returns the last answer and its latency. */
async function askForAgent(svc: TestService, conversationId: string) {
  const chat = new Conversation(svc, { genesysConversationId: conversationId });
  await chat.say("");
  await chat.say("track");
  const started = performance.now();
  const done = await chat.say("I want to talk to a person");
  return { chat, done, latencyMs: performance.now() - started };
}

describe("with HANDOVER_CONTEXT=participant-data", () => {
  let fake: FakeGenesysPlatform;
  let svc: TestService;
  const conversations = new FakeConversations();
  beforeAll(async () => {
    fake = await FakeGenesysPlatform.start({ plugins: [conversations.plugin()] });
    fake.addClient(CLIENT);
    svc = await startService(handoverEnv(fake.url, { HANDOVER_CONTEXT_TURNS: "3" }));
  });
  afterAll(async () => {
    await svc.close();
    await fake.close();
  });

  test("a hand-over intent: the answer as before, then the context on the customer participant", async () => {
    const { conversationId, customerId } = conversations.add();
    const { done } = await askForAgent(svc, conversationId);
    expect(done).toMatchObject({ botState: "Complete", intent: "AgentRequested", slotValues: { reason: "customer request", topic: "order" } });
    await waitFor(() => conversations.patches.some((p) => p.conversationId === conversationId));
    const attributes = conversations.customer(conversationId)!.attributes;
    expect(conversations.patches.find((p) => p.conversationId === conversationId)!.participantId).toBe(customerId);
    expect(attributes).toMatchObject({
      "virtualAgent.context.outcome": "handover",
      "virtualAgent.context.intent": "AgentRequested",
      "virtualAgent.context.reason": "customer asked for an agent",
      "virtualAgent.context.slots": "reason: customer request\ntopic: order",
      "virtualAgent.context.variables": "topic: order",
      "virtualAgent.context.bot": "acme-support@1.0",
    });
    const transcript = attributes["virtualAgent.context.transcript"]!;
    expect(transcript.split("\n")).toEqual([
      "Bot: Hi there! I'm Ava, Acme's virtual assistant.",
      "Bot: What can I help you with?",
      "Customer: track",
      "Bot: What's your order number? It looks like A-12345.",
      "Customer: I want to talk to a person",
      "Bot: Sure, I'm connecting you with a colleague now.",
    ]);
    const metrics = await (await fetch(svc.url + "/metrics")).text();
    expect(metrics).toMatch(/botconnector_handover_context_writes_total\{outcome="written"\} [1-9]/);
  });

  test("a no-match hand-over: the default hand-over intent with the reason, never failed", async () => {
    const { conversationId } = conversations.add();
    const chat = new Conversation(svc, { genesysConversationId: conversationId });
    await chat.say("");
    for (const text of ["banana", "pineapple"]) await chat.say(text);
    const handedOver = await chat.say("kiwi");
    expect(handedOver).toMatchObject({ botState: "Complete", intent: "Handover", parameters: { handoverReason: "menu not understood after 3 attempts" } });
    await waitFor(() => conversations.patches.some((p) => p.conversationId === conversationId));
    expect(conversations.customer(conversationId)!.attributes).toMatchObject({
      "virtualAgent.context.outcome": "handover",
      "virtualAgent.context.intent": "Handover",
      "virtualAgent.context.reason": "menu not understood after 3 attempts",
    });
    expect(conversations.customer(conversationId)!.attributes["virtualAgent.context.errorCode"]).toBeUndefined();
  });

  test("turns that do not hand over write nothing, and the session keeps a bounded transcript", async () => {
    const { conversationId } = conversations.add();
    const chat = new Conversation(svc, { genesysConversationId: conversationId });
    for (const text of ["", "track", "not a number", "still not"]) await chat.say(text);
    await new Promise((r) => setTimeout(r, 50));
    expect(conversations.patches.filter((p) => p.conversationId === conversationId)).toEqual([]);
    const stored = await svc.service.store.load(chat.sessionId);
    expect(stored?.state.transcript?.map((t) => t.customer)).toEqual(["track", "not a number", "still not"]);
  });

  test("the customer's words never reach the logs (LOG_CUSTOMER_TEXT off)", () => {
    expect(svc.logs.raw.join("\n")).not.toMatch(/talk to a person|pineapple|still not/);
    expect(svc.logs.raw.join("\n")).not.toContain(CLIENT.clientSecret);
  });
});

describe("when the Platform API is down", () => {
  test("the hand-over turn is answered as fast and as before; the failed write is counted and logged", async () => {
    const port = await freePort();
    const svc = await startService(handoverEnv(`http://127.0.0.1:${port}`, { HANDOVER_CONTEXT_TIMEOUT_MS: "2000" }));
    try {
      const { done, latencyMs } = await askForAgent(svc, "conv-api-down");
      expect(done).toMatchObject({ botState: "Complete", intent: "AgentRequested", parameters: { handoverReason: "customer asked for an agent" } });
      // The write retries for seconds in the background; the answer did not wait for it.
      expect(latencyMs).toBeLessThan(300);
      await waitFor(() => svc.logs.lines.some((l) => l.msg === "hand-over context not written"));
      expect(svc.logs.lines.find((l) => l.msg === "hand-over context not written")).toMatchObject({ level: 40, outcome: "network_error", genesysConversationId: "conv-api-down" });
      const metrics = await (await fetch(svc.url + "/metrics")).text();
      expect(metrics).toMatch(/botconnector_handover_context_writes_total\{outcome="network_error"\} 1/);
    } finally {
      await svc.close();
    }
  });

  test("an API that answers 500 to everything: same answer, same speed", async () => {
    const fake = await FakeGenesysPlatform.start();
    fake.addClient(CLIENT);
    fake.injectFault({ path: "/", status: 500, times: 1000 });
    const svc = await startService(handoverEnv(fake.url));
    try {
      const { done, latencyMs } = await askForAgent(svc, "conv-api-500");
      expect(done).toMatchObject({ botState: "Complete", intent: "AgentRequested" });
      expect(latencyMs).toBeLessThan(300);
    } finally {
      await svc.close();
      await fake.close();
    }
  });
});

describe("off unless configured", () => {
  test("by default no transcript is kept and the Platform API is never called", async () => {
    const fake = await FakeGenesysPlatform.start();
    const svc = await startService({ GENESYS_API_BASE_URL: fake.url, GENESYS_LOGIN_BASE_URL: fake.url, GENESYS_CLIENT_ID: CLIENT.clientId, GENESYS_CLIENT_SECRET: CLIENT.clientSecret });
    try {
      const { chat, done } = await askForAgent(svc, "conv-off");
      expect(done.intent).toBe("AgentRequested");
      const stored = await svc.service.store.load(chat.sessionId);
      expect(stored?.state.transcript).toBeUndefined();
      await new Promise((r) => setTimeout(r, 50));
      expect(fake.calls).toEqual([]);
    } finally {
      await svc.close();
      await fake.close();
    }
  });

  test("turned on without the OAuth client's credentials and region: the service refuses to start and says why", () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ VERIFY_TOKEN: TOKEN, HANDOVER_CONTEXT: "participant-data" });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error?.problems).toEqual([
      "GENESYS_CLIENT_ID is not set: HANDOVER_CONTEXT=participant-data writes through the service's Genesys OAuth client",
      "GENESYS_CLIENT_SECRET is not set: HANDOVER_CONTEXT=participant-data needs the OAuth client's secret",
      "GENESYS_REGION is not set: HANDOVER_CONTEXT=participant-data calls the org's region (or set GENESYS_API_BASE_URL and GENESYS_LOGIN_BASE_URL)",
    ]);
    expect(() => loadConfig({ VERIFY_TOKEN: TOKEN, HANDOVER_CONTEXT: "yes" })).toThrow(/HANDOVER_CONTEXT must be one of off, participant-data, got "yes"/);
    expect(() => loadConfig({ ...handoverEnv("https://api.example.com"), VERIFY_TOKEN: TOKEN, GENESYS_REGION: "mars-1" })).toThrow(/GENESYS_REGION "mars-1" is not a Genesys Cloud region/);
    expect(() => loadConfig({ ...handoverEnv("http://api.example.com"), VERIFY_TOKEN: TOKEN })).toThrow(/GENESYS_API_BASE_URL must be an https URL/);
  });

  test("the region gives the hosts: api.<domain> and login.<domain>", () => {
    const config = loadConfig({ VERIFY_TOKEN: TOKEN, HANDOVER_CONTEXT: "participant-data", GENESYS_CLIENT_ID: "id", GENESYS_CLIENT_SECRET: "secret", GENESYS_REGION: "eu-central-1" });
    expect(config.handoverContext).toMatchObject({
      apiBaseUrl: "https://api.mypurecloud.de",
      loginBaseUrl: "https://login.mypurecloud.de",
      prefix: "virtualAgent.context.",
      transcriptTurns: 10,
      textChars: 200,
      valueChars: 2000,
      timeoutMs: 10000,
      concurrency: 4,
    });
  });
});
