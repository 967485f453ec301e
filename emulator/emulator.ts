/**
 * The offline Genesys emulator: it plays Genesys Cloud from a stack's rendered flow and bot list, calls the
 * bot's endpoint as the Bot Connector does, and serves a Messenger-like chat page and its HTTP API.
 *
 * API (JSON; errors are `{error, message}`):
 * - `GET  /api/info`: the protocol (v1 or v2), the flow, bot, languages, Messenger look and the channel rules.
 * - `POST /api/conversations` `{language?, participantData?}` → 201 `{id, status, language, events}` once the
 *   flow waits for the customer (with auto-start, after the bot's welcome).
 * - `GET  /api/conversations/:id?after=N` → `{id, status, endReason, language, events}` (events with seq > N).
 * - `POST /api/conversations/:id/messages` `{text}` or `{button: {type: QuickReply|Button, text, payload}}` →
 *   `{status, events}` once the flow has handled it; 409 after the conversation ended.
 * - `GET  /api/conversations/:id/events`: server-sent events (resumes from `Last-Event-ID` or `?after=`).
 * - `DELETE /api/conversations/:id`: the customer leaves; the flow stops.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import Fastify, { type FastifyError, type FastifyInstance } from "fastify";
import { bindFlowToBotList, parseBotList } from "./botList";
import { DEFAULT_BOT_RESPONSE_TIMEOUT_MS, type BotConnectorEndpoint } from "./botConnector/caller";
import { CHANNELS, describeChannelRules } from "./channels";
import { ConversationEndedError, type Conversation } from "./conversation";
import { Conversations } from "./conversations";
import { type CustomerInput } from "./events";
import { FlowLoadError, loadFlow } from "./flow/load";
import { type DigitalManifest } from "./digital/manifest";
import { type EmulatorPlatform } from "./digital/platform";
import { allActions, type FlowModel } from "./flow/model";
import { type FlowRuntime } from "./flow/run";
import { EventStreams, resumePoint } from "./sse";

export interface EmulatorOptions {
  /** The rendered flow (`architect-flow.yaml`). */
  flowYaml: string;
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
  flow: FlowModel;
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

/** Whether the bot showed a button with this payload in this conversation (cards stay clickable, §6.8). */
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
  const flow = loadFlow(options.flowYaml, sources.flow);
  const digital = options.digital;
  const calls = allActions(flow.actions).filter((a) => a.type === "callBotConnector");
  if (calls.some((a) => (a.digital !== undefined) !== (digital !== undefined))) {
    throw new FlowLoadError(sources.flow, [
      digital
        ? "the flow calls the Bot Connector (v1), but the emulator was started for the Digital Bot Connector (v2); render the flow with genesysProtocol v2"
        : "the flow calls the Digital Bot Connector (v2); start the emulator with its manifest and Platform API (LOCAL_PROTOCOL=v2)",
    ]);
  }
  const botList = digital ? digital.manifest.botList : parseBotList(options.botList, sources.botList);
  const bindings = bindFlowToBotList(flow, botList, sources.flow);
  const runtime: FlowRuntime = {
    flow,
    bindings,
    endpoint: options.botConnector,
    ...(digital ? { digital: { platform: digital.platform, attachments: digital.attachments ?? false } } : {}),
    botResponseTimeoutMs: options.botResponseTimeoutMs ?? DEFAULT_BOT_RESPONSE_TIMEOUT_MS,
    ...(options.followUpTimeoutMs !== undefined ? { followUpTimeoutMs: options.followUpTimeoutMs } : {}),
    autoStart: options.autoStart ?? true,
  };
  const conversations = new Conversations(runtime, options.maxConversations ?? 200);
  const maxCustomerMessages = options.maxCustomerMessages ?? 500;
  const streams = new EventStreams();
  const staticFiles = new Map(Object.entries(STATIC_FILES).map(([route, f]) => [route, { type: f.type, body: readFileSync(path.join(PUBLIC_DIR, f.file)) }]));
  const call = [...bindings.entries()][0];
  const info = {
    /** v1: the Bot Connector; v2: the Digital Bot Connector. */
    protocol: digital ? "v2" : "v1",
    flow: { name: flow.name, defaultLanguage: flow.defaultLanguage, languages: flow.supportedLanguages },
    bot: call ? { ...call[1].bot, version: call[1].version.version, intents: call[1].version.intents.map((i) => i.name) } : undefined,
    integration: call?.[0].integration,
    botConnectorUrl: options.botConnector.url,
    autoStart: runtime.autoStart,
    participantDataRead: allActions(flow.actions).flatMap((a) => (a.type === "getParticipantData" ? a.attributes.map((x) => x.attribute) : [])),
    messenger: { botDisplayName: options.messenger?.botDisplayName ?? call?.[1].bot.name ?? "Bot", primaryColor: options.messenger?.primaryColor ?? "#1d5aa6" },
    channels: Object.entries(CHANNELS).map(([id, label]) => ({ id, label })),
    channelRules: describeChannelRules(),
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

  app.post<{ Body: { language?: string; participantData?: Record<string, string> } | null }>("/api/conversations", { schema: { body: startBody } }, async (request, reply) => {
    const requested = (request.body?.language ?? flow.defaultLanguage).toLowerCase();
    if (!flow.supportedLanguages.includes(requested)) {
      throw new HttpError(400, "unsupported_language", `the flow supports ${flow.supportedLanguages.join(", ")}, not ${requested}`);
    }
    const conversation = await conversations.start(requested, request.body?.participantData ?? {});
    return reply.code(201).send(view(conversation));
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
