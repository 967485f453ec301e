/**
 * The emulator playing the Digital Bot Connector (v2) against the real service: it reads the manifest from the
 * service when the flow is loaded, posts each message with a messageId, shows what the service answers at once,
 * and takes the service's replies that come later on its own Platform API (OAuth included), showing them in the
 * chat as they arrive and leaving the action when one completes. Then against a misbehaving v2 bot: what Genesys
 * would reject is rejected, naming the rule. The service's time is a ManualClock; the slow agent answers when the
 * test opens its gate.
 */
import path from "node:path";
import { buildBotList } from "../../service/src/bots/botList";
import { loadBotDefinitions } from "../../service/src/bots/load";
import { digitalBotManifest } from "../../service/src/protocol/v2/manifest";
import Fastify, { type FastifyInstance } from "fastify";
import { createEmulator, type Emulator } from "../../emulator/emulator";
import { connectDigital, protocolSynthOverrides } from "../../emulator/digital/local";
import { fetchManifest } from "../../emulator/digital/manifest";
import { EmulatorPlatform } from "../../emulator/digital/platform";
import { BotListError } from "../../emulator/botList";
import { type EmulatorEvent } from "../../emulator/events";
import { type Conversation } from "../../emulator/conversation";
import { synthStack } from "../../scripts/synth";
import { readStackConfig } from "../../components/genesys/tooling/stackFile";
import { SampleUpstreamAgent } from "../fixtures/upstreamAgent";
import { ASSISTANT_TOKEN, DIGITAL_BOTS, digitalServiceEnv, holdNextAgentCall, SERVICE_CLIENT } from "../digital/harness";
import { SAMPLE_BOTS, startService, TOKEN, type TestService } from "../service/harness";
import { ManualClock } from "../support/manualClock";
import { Chat, flowEvents, request, shown } from "./harness";

const ROOT = path.join(__dirname, "..", "..");

/** The dev stack's flow rendered for v2 (as `LOCAL_PROTOCOL=v2 npm start` renders it) for this bot. */
function v2Flow(botsDir: string, botId: string): string {
  const overrides = { ...protocolSynthOverrides("v2", readStackConfig(ROOT, "dev").config), "virtual-agent:genesysBotId": botId };
  return synthStack({ projectDir: ROOT, stack: "dev", botsDir, overrides }).files["architect-flow.yaml"];
}

/** Resolves with the first event (already there or still to come) that `match` accepts. */
function eventMatching(conversation: Conversation, match: (e: EmulatorEvent) => boolean): Promise<EmulatorEvent> {
  const found = conversation.events.find(match);
  if (found) return Promise.resolve(found);
  return new Promise((resolve) => {
    const stop = conversation.subscribe((e) => {
      if (!match(e)) return;
      stop();
      resolve(e);
    });
  });
}

interface Setup {
  platform: EmulatorPlatform;
  svc: TestService;
  emulator: Emulator;
  url: string;
  clock: ManualClock;
  agent?: SampleUpstreamAgent;
  close(): Promise<void>;
}

async function start(bots: "sample" | "assistant"): Promise<Setup> {
  const platform = await EmulatorPlatform.start({ client: SERVICE_CLIENT });
  const agent = bots === "assistant" ? await SampleUpstreamAgent.start({ type: "bearer", token: ASSISTANT_TOKEN }) : undefined;
  const clock = new ManualClock();
  const botsDir = bots === "assistant" ? DIGITAL_BOTS : SAMPLE_BOTS;
  const svc = await startService(
    { ...digitalServiceEnv(platform.url, agent?.url), BOTS_DIR: botsDir },
    { laterClock: clock },
  );
  const { endpoint, manifest } = await connectDigital(svc.url, { "verify-token": TOKEN });
  const emulator = createEmulator({ flowYaml: v2Flow(botsDir, bots === "assistant" ? "acme-assistant" : "acme-support"), botConnector: endpoint, digital: { manifest, platform }, followUpTimeoutMs: 60_000 });
  const url = await emulator.listen(0);
  return {
    platform,
    svc,
    emulator,
    url,
    clock,
    ...(agent ? { agent } : {}),
    async close() {
      await emulator.close();
      await svc.close();
      await agent?.close();
      await platform.stop();
    },
  };
}

describe("emulator × service on the Digital Bot Connector", () => {
  let setup: Setup;
  afterEach(() => setup.close());

  test("reads the manifest from the service and says it plays v2", async () => {
    setup = await start("sample");
    const info = await request(`${setup.url}/api/info`, "GET");
    expect(info.body.protocol).toBe("v2");
    expect(info.body.botConnectorUrl).toBe(`${setup.svc.url}/digitalbotconnector`);
    expect(info.body.bot).toMatchObject({ id: "acme-support", name: "Acme Support", version: "1.0" });
  });

  test("a conversation answered at once: messageId on every call, the bot by its id, Complete takes the intent's path", async () => {
    setup = await start("sample");
    const chat = await Chat.start(setup.url);
    await chat.click("Track an order");
    await chat.say("A-12345");
    const done = await chat.say("no");
    expect(flowEvents(done, "complete")).toEqual([expect.objectContaining({ intent: "OrderStatus", slots: { orderNumber: "A-12345", orderStatus: "shipped" } })]);
    expect(chat.status).toBe("ended");
    const requests = chat.calls().map((c) => c.request as unknown as Record<string, unknown>);
    expect(new Set(requests.map((r) => r.messageId)).size).toBe(4);
    expect(requests.every((r) => r.botId === "acme-support" && r.botSessionId === requests[0]?.botSessionId && !("chatBot" in r))).toBe(true);
    expect(requests[0]?.botSessionTimeout).toBe(720);
  });

  test("a reply that comes later: 'one moment' at once, a progress message, then the outcome, shown as they arrive", async () => {
    setup = await start("assistant");
    const chat = await Chat.start(setup.url);
    const conversation = setup.emulator.conversations.get(chat.id) as Conversation;
    const { slow, arrived } = holdNextAgentCall(setup.agent as SampleUpstreamAgent);
    const sent = chat.say("where is A-12345?");
    await arrived;
    setup.clock.release("reply-window");
    expect(shown(await sent)).toEqual(["One moment, I'm looking into it."]);

    await setup.clock.next("progress");
    await eventMatching(conversation, (e) => e.type === "message" && e.message.text === "Still working on it, thanks for your patience.");
    slow.open();
    await eventMatching(conversation, (e) => e.type === "ended");
    expect(flowEvents(conversation.events, "complete")).toEqual([expect.objectContaining({ intent: "OrderStatus", slots: expect.objectContaining({ orderNumber: "A-12345", itemCount: 2 }) })]);
    const outgoing = conversation.events.filter((e) => e.type === "outgoing");
    expect(outgoing.map((e) => (e.type === "outgoing" ? [e.status, (e.body as { botState: string }).botState] : []))).toEqual([
      [200, "MoreData"],
      [200, "Complete"],
    ]);
    expect(setup.platform.tokensIssued).toBe(1);
  });
});

/** A v2 bot that serves whatever manifest and answers a test wants. */
async function fakeDigitalBot(manifest: unknown, answers: unknown[], status = 200): Promise<{ app: FastifyInstance; url: string; requests: Array<Record<string, unknown>> }> {
  const app = Fastify({ logger: false, forceCloseConnections: true });
  const requests: Array<Record<string, unknown>> = [];
  const bots = (manifest as { entities?: Array<{ id: string }> }).entities ?? [];
  app.get("/dbc/bots", async () => manifest);
  app.get<{ Params: { id: string } }>("/dbc/bots/:id", async (req, reply) => bots.find((b) => b.id === req.params.id) ?? reply.code(404).send({}));
  app.post("/dbc/messages", async (req, reply) => {
    requests.push(req.body as Record<string, unknown>);
    return reply.code(status).send(answers.length > 1 ? answers.shift() : answers[0]);
  });
  const base = await app.listen({ port: 0, host: "127.0.0.1" });
  return { app, url: `${base}/dbc`, requests };
}

/** The sample bot's manifest, as the service would serve it (with another provider). */
const MANIFEST = digitalBotManifest(buildBotList(loadBotDefinitions(SAMPLE_BOTS).map((b) => b.definition)), "Acme");

describe("emulator × misbehaving Digital Bot Connector bot", () => {
  const flowYaml = v2Flow(SAMPLE_BOTS, "acme-support");
  let platform: EmulatorPlatform;
  beforeAll(async () => {
    platform = await EmulatorPlatform.start({ client: SERVICE_CLIENT });
  });
  afterAll(() => platform.stop());

  async function emulatorFor(answers: unknown[], status = 200) {
    const bot = await fakeDigitalBot(MANIFEST, answers, status);
    const endpoint = { url: bot.url, credentials: {} };
    const emulator = createEmulator({ flowYaml, botConnector: endpoint, digital: { manifest: await fetchManifest(endpoint), platform } });
    const url = await emulator.listen(0);
    return { bot, emulator, url, close: async () => (await emulator.close(), await bot.app.close()) };
  }

  test("a manifest without what the spec requires stops the flow from loading, naming the field and the rule", async () => {
    const { provider: _p, ...withoutProvider } = MANIFEST.entities[0] as unknown as Record<string, unknown>;
    const bot = await fakeDigitalBot({ entities: [{ ...withoutProvider, id: " padded" }] }, []);
    const error = await fetchManifest({ url: bot.url, credentials: {} }).catch((e: unknown) => e);
    await bot.app.close();
    expect(error).toBeInstanceOf(BotListError);
    expect((error as BotListError).problems).toEqual([
      expect.stringMatching(/^entities\[0\]\.provider: is required \(docs\/digital-bot-connector\.md §The bot manifest\)$/),
      expect.stringMatching(/^entities\[0\]\.id: must match pattern/),
    ]);
  });

  test("an attachment the integration does not allow takes the failure path as ServiceProviderInvalidResponse", async () => {
    const attachment = { type: "Text", text: "Your label", content: [{ contentType: "Attachment", attachment: { id: "1", mediaType: "File", url: "https://x/label.pdf", filename: "label.pdf" } }] };
    const run = await emulatorFor([{ botState: "MoreData", replyMessages: [attachment] }]);
    const chat = await Chat.start(run.url);
    await run.close();
    expect(chat.flow("failure")).toEqual([expect.objectContaining({ errorType: "ServiceProviderInvalidResponse", problems: [expect.objectContaining({ rule: "attachmentsDisabled" })] })]);
  });

  test("v1's replymessages spelling is a warning: those messages never reach the customer", async () => {
    const run = await emulatorFor([{ botState: "MoreData", replymessages: [{ type: "Text", text: "hi" }] }]);
    const chat = await Chat.start(run.url);
    await run.close();
    expect(shown(chat.events)).toEqual([]);
    expect(chat.events.some((e) => e.type === "warning" && /Digital Bot Connector reads replyMessages/.test(e.message))).toBe(true);
  });

  test("entities must be the intent's, typed as declared, each value a string", async () => {
    const run = await emulatorFor([{ botState: "Complete", intent: "ReturnCreated", entities: [{ name: "itemCount", type: "Integer", value: 2 }, { name: "mood", type: "String", value: "x" }] }]);
    const chat = await Chat.start(run.url);
    await run.close();
    const failure = chat.flow("failure")[0];
    expect(failure?.problems?.map((p) => `${p.rule} ${p.path}`)).toEqual(["shape entities[0].value"]);
  });

  test("a 5xx is retried with the same messageId, then the failure path", async () => {
    const run = await emulatorFor([{ error: "down" }], 503);
    const chat = await Chat.start(run.url);
    await run.close();
    expect(run.bot.requests).toHaveLength(3);
    expect(new Set(run.bot.requests.map((r) => r.messageId)).size).toBe(1);
    expect(chat.flow("failure")).toEqual([expect.objectContaining({ errorType: "ServiceProviderErrorResponse" })]);
  });
});

describe("the emulator's Platform API", () => {
  test("refuses an outgoing message without a token, for an unknown or closed session, or naming another bot version", async () => {
    const platform = await EmulatorPlatform.start({ client: SERVICE_CLIENT });
    const token = async () => {
      const res = await fetch(`${platform.url}/oauth/token`, {
        method: "POST",
        headers: { authorization: `Basic ${Buffer.from(`${SERVICE_CLIENT.clientId}:${SERVICE_CLIENT.clientSecret}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
        body: "grant_type=client_credentials",
      });
      return ((await res.json()) as { access_token: string }).access_token;
    };
    const send = async (body: Record<string, unknown>, bearer?: string) => {
      const res = await fetch(`${platform.url}/api/v2/integrations/botconnectors/outgoing/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
        body: JSON.stringify(body),
      });
      return { status: res.status, code: ((await res.json()) as { code?: string }).code };
    };
    const body = { botId: "b", botVersion: "1", botSessionId: "s-1", languageCode: "en-us", botState: "MoreData" };
    expect(await send(body)).toEqual({ status: 401, code: "authentication.required" });
    const bearer = await token();
    expect(await send(body, bearer)).toEqual({ status: 409, code: "session.not.found" });
    platform.open("s-1", { botId: "b", botVersion: "1", receive: () => ({ status: 200, body: { messageId: "m" } }) });
    expect(await send({ ...body, botVersion: "2" }, bearer)).toEqual({ status: 409, code: "session.bot.version.mismatch" });
    expect((await send(body, bearer)).status).toBe(200);
    platform.close("s-1");
    expect(await send(body, bearer)).toEqual({ status: 409, code: "session.already.closed" });
    expect(await send({ ...body, botState: undefined }, bearer)).toEqual({ status: 400, code: "bad.request" });
    await platform.stop();
  });
});
