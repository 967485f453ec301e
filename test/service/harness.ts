import { Writable } from "node:stream";
import path from "node:path";
import pino from "pino";
import { createService, type Service, type ServiceOverrides } from "../../service/src/app";
import { loadConfig } from "../../service/src/config";
import { TURN_ROUTE } from "../../service/src/server";

export const TOKEN = "test-verify-token-0123456789";
export const SAMPLE_BOTS = path.join(__dirname, "..", "..", "service", "bots");

/** Log lines the service wrote, parsed. */
export class LogCapture extends Writable {
  readonly lines: Array<Record<string, unknown>> = [];
  readonly raw: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    for (const line of chunk.toString("utf8").split("\n")) {
      if (line.trim() === "") continue;
      this.raw.push(line);
      this.lines.push(JSON.parse(line) as Record<string, unknown>);
    }
    done();
  }
}

export interface TestService {
  service: Service;
  url: string;
  logs: LogCapture;
  /** POSTs a turn body (object or raw string) with the verify token unless headers say otherwise. */
  post(body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }>;
  close(): Promise<void>;
}

/** Starts the real service on 127.0.0.1 with a random port; every test talks to it over HTTP. */
export async function startService(env: Record<string, string> = {}, overrides: ServiceOverrides = {}): Promise<TestService> {
  const config = loadConfig({ VERIFY_TOKEN: TOKEN, BOTS_DIR: SAMPLE_BOTS, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", ...env });
  const logs = new LogCapture();
  const service = createService(config, { logger: pino({ level: config.logLevel }, logs), ...overrides });
  const address = await service.app.listen({ port: 0, host: "127.0.0.1" });
  const url = address;
  return {
    service,
    url,
    logs,
    async post(body, headers) {
      const res = await fetch(url + TURN_ROUTE, {
        method: "POST",
        headers: { "content-type": "application/json", "verify-token": TOKEN, ...headers },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: JSON.parse(text) as Record<string, unknown>, headers: res.headers };
    },
    close: () => service.close(),
  };
}

let sessionCounter = 0;

/** A turn body as Genesys sends it; `botId` carries the bot's name, `chatBot` its id. */
export function turnBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    botId: "Acme Support",
    botVersion: "1.0",
    botSessionId: `session-${process.pid}-${++sessionCounter}`,
    genesysConversationId: "7c1e5d90-3a44-4b7f-8f0e-2d6a9b8c4e21",
    languageCode: "en-us",
    botSessionTimeout: 4320,
    chatBot: { id: "acme-support", name: "Acme Support" },
    inputMessage: { type: "Text", text: "" },
    ...overrides,
  };
}

export function textInput(text: string) {
  return { type: "Text", text };
}

export function buttonInput(text: string, payload: string) {
  return { type: "Structured", text, content: [{ contentType: "ButtonResponse", buttonResponse: { type: "QuickReply", text, payload } }] };
}

type Reply = { type: string; text?: string; content?: Array<Record<string, unknown>> };

/** All customer-visible texts of a response, including card titles, for readable assertions. */
export function texts(body: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const m of (body.replymessages as Reply[]) ?? []) {
    if (m.text) out.push(m.text);
    for (const c of m.content ?? []) {
      const card = (c.card ?? undefined) as { title?: string } | undefined;
      if (card?.title) out.push(card.title);
    }
  }
  return out;
}

/** Payloads of every quick reply and postback button in a response, by visible label. */
export function buttons(body: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  const addCard = (card: { actions?: Array<{ text: string; payload?: string }> }) => {
    for (const a of card.actions ?? []) if (a.payload) out[a.text] = a.payload;
  };
  for (const m of (body.replymessages as Reply[]) ?? []) {
    for (const c of m.content ?? []) {
      const qr = c.quickReply as { text: string; payload: string } | undefined;
      if (qr) out[qr.text] = qr.payload;
      if (c.card) addCard(c.card as never);
      const carousel = c.carousel as { cards: never[] } | undefined;
      carousel?.cards.forEach(addCard);
    }
  }
  return out;
}

/** Drives one session through several turns. */
export class Conversation {
  readonly sessionId: string;
  private readonly base: Record<string, unknown>;
  constructor(
    private readonly svc: TestService,
    base: Record<string, unknown> = {},
  ) {
    this.base = turnBody(base);
    this.sessionId = this.base.botSessionId as string;
  }
  async send(inputMessage: unknown, extra: Record<string, unknown> = {}) {
    const res = await this.svc.post({ ...this.base, inputMessage, ...extra });
    expect(res.status).toBe(200);
    return res.body;
  }
  say(text: string, extra: Record<string, unknown> = {}) {
    return this.send(textInput(text), extra);
  }
  /** Clicks the button with this visible label in the given response. */
  click(previous: Record<string, unknown>, label: string) {
    const payload = buttons(previous)[label];
    if (!payload) throw new Error(`no button "${label}" in ${JSON.stringify(buttons(previous))}`);
    return this.send(buttonInput(label, payload));
  }
}
