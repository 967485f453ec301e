/**
 * The service speaking the Digital Bot Connector (GENESYS_PROTOCOL=v2) over real HTTP, with its replies that come
 * later going to the fake Genesys Platform API (OAuth and the outgoing messages endpoint), and time driven by a
 * ManualClock: a test says when the reply window has passed, when a progress message is due, when a retry may go.
 *
 * `DigitalGenesys` plays Genesys's side of a bot session: it opens the session in the fake Platform API and posts
 * each customer message with a fresh `messageId`, as the Digital Bot Connector does.
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import { type ServiceOverrides } from "../../service/src/app";
import { DIGITAL_ROUTES } from "../../service/src/protocol/v2/types";
import { FakeGenesysPlatform } from "../fakes/genesysPlatform";
import { FakeOutgoingMessages } from "../fakes/outgoingMessages";
import { ordersAgent, SampleUpstreamAgent } from "../fixtures/upstreamAgent";
import { type UpstreamRequest } from "../../service/src/upstream/contract";
import { startService, TOKEN, type TestService } from "../service/harness";
import { ManualClock } from "../support/manualClock";

export const DIGITAL_BOTS = path.join(__dirname, "..", "fixtures", "digital-bots");
export const ASSISTANT_TOKEN = "assistant-agent-bearer-token-0123456789";
/** The service's own OAuth client in the fake org: only the permission the outgoing API needs. */
export const SERVICE_CLIENT = { clientId: "va-service-client", clientSecret: "va-service-secret-0123456789" };

/** The service's environment for v2 against a Platform API at `platformUrl` (with the slow assistant bot, its agent). */
export function digitalServiceEnv(platformUrl: string, agentUrl?: string): Record<string, string> {
  return {
    GENESYS_PROTOCOL: "v2",
    GENESYS_CLIENT_ID: SERVICE_CLIENT.clientId,
    GENESYS_CLIENT_SECRET: SERVICE_CLIENT.clientSecret,
    GENESYS_API_BASE_URL: platformUrl,
    GENESYS_LOGIN_BASE_URL: platformUrl,
    ...(agentUrl ? { BOTS_DIR: DIGITAL_BOTS, ASSISTANT_AGENT_URL: agentUrl, ASSISTANT_AGENT_TOKEN: ASSISTANT_TOKEN } : {}),
  };
}

export interface DigitalSetup {
  svc: TestService;
  platform: FakeGenesysPlatform;
  outgoing: FakeOutgoingMessages;
  clock: ManualClock;
  agent: SampleUpstreamAgent | undefined;
  close(): Promise<void>;
}

export async function startDigital(
  options: {
    env?: Record<string, string>;
    overrides?: ServiceOverrides;
    bots?: "sample" | "assistant";
    clientPermissions?: string[];
    /** Another setup's fake Genesys and agent: a second service instance of the same deployment. */
    sharing?: DigitalSetup;
  } = {},
): Promise<DigitalSetup> {
  const shared = options.sharing;
  const outgoing = shared?.outgoing ?? new FakeOutgoingMessages();
  const platform = shared?.platform ?? (await FakeGenesysPlatform.start({ plugins: [outgoing.plugin()] }));
  if (!shared) {
    platform.addRole({ id: "role-send", name: "Digital Bot Connector replies", permissions: options.clientPermissions ?? ["integration:botconnector:send"] });
    platform.addClient({ ...SERVICE_CLIENT, name: "virtual agent service", roleIds: ["role-send"] });
  }
  const agent = shared ? shared.agent : options.bots === "assistant" ? await SampleUpstreamAgent.start({ type: "bearer", token: ASSISTANT_TOKEN }) : undefined;
  const clock = new ManualClock();
  const svc = await startService(
    { ...digitalServiceEnv(platform.url, agent?.url), ...options.env },
    { laterClock: clock, ...options.overrides },
  );
  return {
    svc,
    platform,
    outgoing,
    clock,
    agent,
    async close() {
      await svc.close();
      if (shared) return;
      await agent?.close();
      await platform.close();
    },
  };
}

export interface HttpResult {
  status: number;
  body: Record<string, unknown>;
}

export async function call(svc: TestService, method: "GET" | "POST", route: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult> {
  const res = await fetch(svc.url + route, {
    method,
    headers: { "verify-token": TOKEN, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

let sessions = 0;

/** Genesys's side of one bot session. */
export class DigitalGenesys {
  /** Another instance's session, to play the same session against a second service instance. */
  readonly botSessionId: string;
  private messages = 0;
  lastMessageId = "";

  constructor(
    private readonly setup: Pick<DigitalSetup, "svc" | "outgoing">,
    readonly bot: { botId: string; botVersion: string } = { botId: "acme-support", botVersion: "1.0" },
    private readonly extra: Record<string, unknown> = {},
    botSessionId?: string,
  ) {
    this.botSessionId = botSessionId ?? `dbc-session-${process.pid}-${++sessions}`;
    if (!botSessionId) setup.outgoing.open(this.botSessionId, bot.botId, bot.botVersion);
  }

  /** The body Genesys posts for one message (IncomingMessagesRequest). */
  body(inputMessage: unknown, messageId = `msg-${++this.messages}-${randomUUID()}`): Record<string, unknown> {
    this.lastMessageId = messageId;
    return {
      ...this.bot,
      botSessionId: this.botSessionId,
      messageId,
      inputMessage,
      languageCode: "en-us",
      botSessionTimeout: 720,
      genesysConversationId: "31408724-1e03-44ca-a698-31da56dd08f4",
      ...this.extra,
    };
  }

  post(body: Record<string, unknown>, headers?: Record<string, string>): Promise<HttpResult> {
    return call(this.setup.svc, "POST", DIGITAL_ROUTES.messages, body, headers);
  }

  say(text: string, extra: Record<string, unknown> = {}): Promise<HttpResult> {
    return this.post({ ...this.body({ type: "Text", text }), ...extra });
  }

  click(text: string, payload: string, type: "QuickReply" | "Button" = "QuickReply"): Promise<HttpResult> {
    return this.post(this.body({ type: "Structured", text, content: [{ contentType: "ButtonResponse", buttonResponse: { type, text, payload } }] }));
  }
}

type Reply = { type: string; text?: string; content?: Array<Record<string, unknown>> };

/** Every customer-visible text of a v2 answer or outgoing body. */
export function replyTexts(body: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const m of (body.replyMessages as Reply[] | undefined) ?? []) {
    if (m.text) out.push(m.text);
    for (const c of m.content ?? []) {
      const card = c.card as { title?: string } | undefined;
      if (card?.title) out.push(card.title);
    }
  }
  return out;
}

/** Payloads of the quick replies and postback buttons of a v2 answer, by label. */
export function replyButtons(body: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of (body.replyMessages as Reply[] | undefined) ?? []) {
    for (const c of m.content ?? []) {
      const qr = c.quickReply as { text: string; payload: string } | undefined;
      if (qr) out[qr.text] = qr.payload;
      const cards = [c.card, ...(((c.carousel as { cards?: unknown[] } | undefined)?.cards ?? []) as unknown[])] as Array<{ actions?: Array<{ text: string; payload?: string }> } | undefined>;
      for (const card of cards) for (const a of card?.actions ?? []) if (a.payload) out[a.text] = a.payload;
    }
  }
  return out;
}

export interface Gate {
  promise: Promise<void>;
  open(): void;
}

/** An event the test sets off. */
export function gate(): Gate {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/**
 * The agent's next call is held until the test opens `slow`; `arrived` opens when the call reached the agent.
 * The agent then answers with `reply` (by default the sample orders agent).
 */
export function holdNextAgentCall(agent: SampleUpstreamAgent, reply: (r: UpstreamRequest) => unknown = ordersAgent): { slow: Gate; arrived: Promise<void> } {
  const slow = gate();
  const arrived = gate();
  agent.enqueue({
    kind: "reply",
    reply,
    until: () => {
      arrived.open();
      return slow.promise;
    },
  });
  return { slow, arrived: arrived.promise };
}
