/**
 * The offline Genesys emulator: it plays Genesys Cloud from a stack's rendered flow and bot list, calls the
 * bot's endpoint as the Bot Connector does, and serves a Messenger-like chat page and its HTTP API.
 *
 * API (JSON; errors are `{error, message}`):
 * - `GET  /api/info`: the protocol (v1 or v2), the flow, bot, languages, Messenger look and the channel rules of the default flow, and
 *   the same for every flow it plays (`bots`, one per bot).
 * - `POST /api/conversations` `{bot?, language?, participantData?}` → 201 `{id, bot, status, language, events}`
 *   once the flow of that bot (default: the first) waits for the customer (with auto-start, after the welcome).
 * - `GET  /api/conversations/:id?after=N` → `{id, status, endReason, language, events}` (events with seq > N).
 * - `POST /api/conversations/:id/messages` `{text}` or `{button: {type: QuickReply|Button, text, payload}}` →
 *   `{status, events}` once the flow has handled it; 409 after the conversation ended.
 * - `POST /api/conversations/:id/follow-up-timeout` → `{status, events}`: the Follow-up Response Timeout the flow
 *   is waiting out fires now, so the flow's timeout path runs; 409 when the flow is not waiting for the customer.
 * - `GET  /api/conversations/:id/events`: server-sent events (resumes from `Last-Event-ID` or `?after=`).
 * - `DELETE /api/conversations/:id`: the customer leaves; the flow stops.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import Fastify, { type FastifyError, type FastifyInstance } from "fastify";
import { type FlowFile } from "./artifacts";
import { parseBotList } from "./botList";
import { DEFAULT_BOT_RESPONSE_TIMEOUT_MS, type BotConnectorEndpoint } from "./botConnector/caller";
import { CHANNELS, describeChannelRules } from "./channels";
import { ConversationEndedError, type Conversation } from "./conversation";
import { Conversations } from "./conversations";
import { type CustomerInput } from "./events";
import { type FlowModel } from "./flow/model";
import { loadPlayableFlows, type PlayableFlow } from "./flows";
import { type DigitalManifest } from "./digital/manifest";
import { type EmulatorPlatform } from "./digital/platform";
import { EventStreams, resumePoint } from "./sse";

export interface EmulatorOptions {
  /** The rendered flow (`architect-flow.yaml`): what a conversation plays unless it picks another bot. */
  flowYaml: string;
  /** Flows of other bots of the bot list (`npm start` renders the stack's flow once per bot); a conversation picks one by its bot id. */
  moreFlows?: FlowFile[];
  /** The Bot Connector's bot list (`bot-list.json`), parsed; the Digital Bot Connector reads it from the bot instead (`digital`). */
  botList?: unknown;
  /** File names for error messages. */
  sources?: { flow: string; botList: string };
  /**
   * The integration: the Handle Utterance URI (v1), or the Bot Connector URI, the base of the bot's routes (v2), and
   * the credential fields sent as headers.
   */
  botConnector: BotConnectorEndpoint;
  /**
   * The Digital Bot Connector (v2): the manifest read from the bot (digital/manifest.ts), the emulator's Platform API
   * that receives outgoing messages, and the integration's attachments option (default off).
   */
  digital?: { manifest: DigitalManifest; platform: EmulatorPlatform; attachments?: boolean };
  /** How long Genesys waits for the bot's answer (default 10 000 ms; Genesys's own value is unpublished). */
  botResponseTimeoutMs?: number;
  /** Replaces the flow's Follow-up Response Timeout (default: the flow's). */
  followUpTimeoutMs?: number;
  /** Start the flow when a conversation opens, like Messenger's auto-start (default true). */
  autoStart?: boolean;
  /** How the chat page shows the bot (the stack's Messenger settings). */
  messenger?: { botDisplayName?: string; primaryColor?: string };
  /** Conversations kept in memory (default 200); the oldest ended ones go first. */
  maxConversations?: number;
  /** Customer messages per conversation (default 500). */
  maxCustomerMessages?: number;
}

export interface Emulator {
  app: FastifyInstance;
  /** The default flow. */
  flow: FlowModel;
  /** Every flow, the default first. */
  flows: PlayableFlow[];
  conversations: Conversations;
  /** Listens (default 127.0.0.1) and returns the base URL. */
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

const PUBLIC_DIR = path.join(__dirname, "public");
const STATIC_FILES: Record<string, { file: string; type: string }> = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/app.js": { file: "app.js", type: "text/javascript; charset=utf-8" },
  "/styles.css": { file: "styles.css", type: "text/css; charset=utf-8" },
  "/favicon.svg": { file: "favicon.svg", type: "image/svg+xml" },
};
const SECURITY_HEADERS = {
  "content-security-policy": "default-src 'self'; img-src 'self' https: http: data:; script-src 'self'; style-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};
const MAX_TEXT = 4000;

const idParams = { type: "object", required: ["id"], properties: { id: { type: "string", maxLength: 64 } } } as const;
const startBody = {
  type: ["object", "null"],
  additionalProperties: false,
  properties: {
    bot: { type: "string", maxLength: 100 },
    language: { type: "string", maxLength: 35 },
    participantData: { type: "object", maxProperties: 50, additionalProperties: { type: "string", maxLength: 4000 } },
  },
} as const;
const messageBody = {
  type: "object",
  additionalProperties: false,
  properties: {
    text: { type: "string", maxLength: MAX_TEXT },
    button: {
      type: "object",
      additionalProperties: false,
      required: ["type", "text", "payload"],
      properties: {
        type: { enum: ["QuickReply", "Button"] },
        text: { type: "string", minLength: 1, maxLength: MAX_TEXT },
        payload: { type: "string", minLength: 1, maxLength: MAX_TEXT },
      },
    },
  },
} as const;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Whether the bot showed a button with this payload in this conversation (cards stay clickable: genesys-bot-connector.md#gotchas). */
function wasOffered(conversation: Conversation, type: "QuickReply" | "Button", payload: string): boolean {
  return conversation.events.some((e) => {
    if (e.type !== "message") return false;
    return (e.message.content ?? []).some((c) => {
      if (c.contentType === "QuickReply") return type === "QuickReply" && c.quickReply.payload === payload;
      const cards = c.contentType === "Card" ? [c.card] : c.carousel.cards;
      return type === "Button" && cards.some((card) => [card.defaultAction, ...card.actions].some((a) => a?.type === "Postback" && a.payload === payload));
    });
  });
}

/** Loads the flow and the bot list (throwing FlowLoadError / BotListError with every problem) and builds the server. */
export function createEmulator(options: EmulatorOptions): Emulator {
  const sources = options.sources ?? { flow: "architect-flow.yaml", botList: "bot-list.json" };
  const digital = options.digital;
  const flows = loadPlayableFlows({
    files: [{ yaml: options.flowYaml, source: sources.flow }, ...(options.moreFlows ?? [])],
    botList: digital ? digital.manifest.botList : parseBotList(options.botList, sources.botList),
    botListSource: digital ? `${options.botConnector.url}/bots` : sources.botList,
    protocol: digital ? "v2" : "v1",
    runtime: {
      endpoint: options.botConnector,
      ...(digital ? { digital: { platform: digital.platform, attachments: digital.attachments ?? false } } : {}),
      botResponseTimeoutMs: options.botResponseTimeoutMs ?? DEFAULT_BOT_RESPONSE_TIMEOUT_MS,
      ...(options.followUpTimeoutMs !== undefined ? { followUpTimeoutMs: options.followUpTimeoutMs } : {}),
      autoStart: options.autoStart ?? true,
    },
    ...(options.messenger?.botDisplayName !== undefined ? { botDisplayName: options.messenger.botDisplayName } : {}),
  });
  const main = flows[0] as PlayableFlow;
  const flow = main.runtime.flow;
  const conversations = new Conversations(main.runtime, options.maxConversations ?? 200);
  const maxCustomerMessages = options.maxCustomerMessages ?? 500;
  const streams = new EventStreams();
  const staticFiles = new Map(Object.entries(STATIC_FILES).map(([route, f]) => [route, { type: f.type, body: readFileSync(path.join(PUBLIC_DIR, f.file)) }]));
  const primaryColor = options.messenger?.primaryColor ?? "#1d5aa6";
  const describe = (f: PlayableFlow) => ({
    flow: f.info.flow,
    bot: f.info.bot,
    integration: f.info.integration,
    participantDataRead: f.info.participantDataRead,
    messenger: { botDisplayName: f.info.botDisplayName, primaryColor },
  });
  const info = {
    /** v1: the Bot Connector; v2: the Digital Bot Connector. */
    protocol: digital ? "v2" : "v1",
    ...describe(main),
    botConnectorUrl: options.botConnector.url,
    autoStart: main.runtime.autoStart,
    channels: Object.entries(CHANNELS).map(([id, label]) => ({ id, label })),
    channelRules: describeChannelRules(),
    bots: flows.map((f) => ({ id: f.botId, ...describe(f) })),
  };

  const app = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: 64 * 1024 });
  app.addHook("onSend", (_request, reply, payload, done) => {
    reply.headers(SECURITY_HEADERS);
    done(null, payload);
  });
  app.addHook("preClose", (done) => {
    streams.closeAll();
    done();
  });
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    if (error instanceof HttpError) return reply.code(error.status).send({ error: error.code, message: error.message });
    if (error instanceof ConversationEndedError) return reply.code(409).send({ error: "conversation_ended", message: error.message });
    if (error.validation) return reply.code(400).send({ error: "invalid_request", message: error.message });
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    return reply.code(status).send({ error: status === 500 ? "internal" : "bad_request", message: error.message });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: "not_found", message: `no route ${request.method} ${request.url.split("?")[0]}` }));

  for (const [route, file] of staticFiles) {
    app.get(route, (_request, reply) => reply.type(file.type).header("cache-control", "no-store").send(file.body));
  }
  app.get("/healthz", () => ({ ok: true }));
  app.get("/api/info", () => info);

  const find = (id: string): Conversation => {
    const conversation = conversations.get(id);
    if (!conversation) throw new HttpError(404, "not_found", `no conversation ${id} (it ended long ago, or the emulator restarted)`);
    return conversation;
  };
  const view = (c: Conversation, after = 0) => ({ id: c.id, status: c.status, endReason: c.endReason ?? null, language: c.language, events: c.eventsAfter(after) });

  app.post<{ Body: { bot?: string; language?: string; participantData?: Record<string, string> } | null }>("/api/conversations", { schema: { body: startBody } }, async (request, reply) => {
    const botId = request.body?.bot;
    const picked = botId === undefined ? main : flows.find((f) => f.botId === botId);
    if (!picked) throw new HttpError(400, "unknown_bot", `the emulator plays the flows of ${flows.map((f) => f.botId).join(", ")}, not of ${botId}`);
    const pickedFlow = picked.runtime.flow;
    const requested = (request.body?.language ?? pickedFlow.defaultLanguage).toLowerCase();
    if (!pickedFlow.supportedLanguages.includes(requested)) {
      throw new HttpError(400, "unsupported_language", `the flow supports ${pickedFlow.supportedLanguages.join(", ")}, not ${requested}`);
    }
    const conversation = await conversations.start(requested, request.body?.participantData ?? {}, picked.runtime);
    return reply.code(201).send({ ...view(conversation), bot: picked.botId });
  });

  app.get<{ Params: { id: string }; Querystring: { after?: number } }>(
    "/api/conversations/:id",
    { schema: { params: idParams, querystring: { type: "object", properties: { after: { type: "integer", minimum: 0 } } } } },
    (request) => view(find(request.params.id), request.query.after ?? 0),
  );

  app.post<{ Params: { id: string }; Body: { text?: string; button?: { type: "QuickReply" | "Button"; text: string; payload: string } } }>(
    "/api/conversations/:id/messages",
    { schema: { params: idParams, body: messageBody } },
    async (request) => {
      const conversation = find(request.params.id);
      const { text, button } = request.body;
      if ((text === undefined) === (button === undefined)) throw new HttpError(400, "invalid_request", "send either text or button");
      if (text !== undefined && text.trim() === "") throw new HttpError(400, "invalid_request", "text is empty; Messenger does not send empty messages");
      if (button && !wasOffered(conversation, button.type, button.payload)) {
        throw new HttpError(400, "unknown_button", `no ${button.type === "QuickReply" ? "quick reply" : "card button"} with payload "${button.payload}" was shown in this conversation`);
      }
      if (conversation.customerMessages >= maxCustomerMessages) throw new HttpError(429, "too_many_messages", `a conversation takes at most ${maxCustomerMessages} messages in the emulator`);
      const input: CustomerInput = button ? { kind: "button", buttonType: button.type, text: button.text, payload: button.payload } : { kind: "text", text: text as string };
      const before = conversation.events.length;
      const handled = await conversation.deliver(input);
      await conversation.whenIdle();
      return { status: conversation.status, endReason: conversation.endReason ?? null, handled, events: conversation.eventsAfter(before) };
    },
  );

  app.post<{ Params: { id: string } }>("/api/conversations/:id/follow-up-timeout", { schema: { params: idParams } }, async (request) => {
    const conversation = find(request.params.id);
    const before = conversation.events.length;
    if (!conversation.fireFollowUpTimeout()) {
      throw new HttpError(409, "not_waiting", "the flow is not waiting for the customer's answer to the bot, so there is no follow-up timeout to fire");
    }
    await conversation.whenIdle();
    return { status: conversation.status, endReason: conversation.endReason ?? null, events: conversation.eventsAfter(before) };
  });

  app.get<{ Params: { id: string }; Querystring: { after?: number } }>(
    "/api/conversations/:id/events",
    { schema: { params: idParams, querystring: { type: "object", properties: { after: { type: "integer", minimum: 0 } } } } },
    (request, reply) => {
      const conversation = find(request.params.id);
      streams.stream(reply, conversation, resumePoint(request.headers["last-event-id"], request.query.after));
    },
  );

  app.delete<{ Params: { id: string } }>("/api/conversations/:id", { schema: { params: idParams } }, (request, reply) => {
    if (!conversations.remove(request.params.id)) throw new HttpError(404, "not_found", `no conversation ${request.params.id}`);
    return reply.code(204).send();
  });

  let closing: Promise<void> | undefined;
  return {
    app,
    flow,
    flows,
    conversations,
    async listen(port, host = "127.0.0.1") {
      return app.listen({ port, host });
    },
    close() {
      closing ??= (async () => {
        await conversations.close();
        await app.close();
      })();
      return closing;
    },
  };
}
