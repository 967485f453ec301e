/**
 * The Platform API's outgoing messages endpoint of the Digital Bot Connector, for the fake Genesys Platform API
 * (genesysPlatform.ts): `POST /api/v2/integrations/botconnectors/outgoing/messages` with the bearer token and the
 * integration:botconnector:send permission, the body's required fields, and the documented 409 codes, written from
 * the customer API spec rather than from the service's code.
 *
 * Genesys's side of each bot session is declared by the test (`open`), as Genesys opens a session when it posts the
 * first message to the bot. A delivered Complete or Failed closes it. The test can hold requests (a slow API),
 * answer with faults (the fake's `injectFault`: 429 with Retry-After, 5xx), refuse errorInfo in one of its two
 * spellings, or deactivate the integration; every accepted message is recorded in order and announced.
 */
import { randomUUID } from "node:crypto";
import Ajv from "ajv";
import { type FakeGenesysPlatform, type FakePlugin, errorBody } from "./genesysPlatform";

export const OUTGOING_PATH = "/api/v2/integrations/botconnectors/outgoing/messages";

interface FakeSession {
  botId: string;
  botVersion: string;
  closed: boolean;
}

export interface AcceptedOutgoing {
  messageId: string;
  body: Record<string, unknown>;
}

const TEXT = { type: "string" } as const;
const bodySchema = {
  type: "object",
  required: ["botId", "botVersion", "botSessionId", "languageCode", "botState"],
  properties: {
    botId: { type: "string", minLength: 1 },
    botVersion: { type: "string", minLength: 1 },
    botSessionId: { type: "string", minLength: 1 },
    languageCode: { type: "string", minLength: 1 },
    botState: { enum: ["Complete", "Failed", "MoreData"] },
    intent: TEXT,
    confidence: { type: "number", minimum: 0, maximum: 1 },
    parameters: { type: "object", additionalProperties: TEXT },
    entities: {
      type: "array",
      items: { type: "object", required: ["name", "type"], properties: { name: TEXT, type: TEXT, value: TEXT, values: { type: "array", items: TEXT } } },
    },
    replyMessages: {
      type: "array",
      items: {
        type: "object",
        required: ["type"],
        properties: { type: { enum: ["Text", "Structured"] }, text: TEXT, content: { type: "array" } },
      },
    },
    errorInfo: { type: "object" },
  },
} as const;
const checkBody = new Ajv({ allErrors: true, strict: false }).compile(bodySchema);

export class FakeOutgoingMessages {
  readonly accepted: AcceptedOutgoing[] = [];
  /** Every request that reached the handler (after the fake's faults), accepted or not. */
  readonly received: Array<Record<string, unknown>> = [];
  private readonly sessions = new Map<string, FakeSession>();
  private readonly listeners: Array<{ count: number; resolve: () => void }> = [];
  private readonly holds: Array<{ released: Promise<void>; reached: () => void }> = [];
  /** Which errorInfo keys a request may use: both, only the Platform API model's (code, message) or only the spec's. */
  errorInfoKeys: "any" | "model" | "spec" = "any";
  integrationActive = true;

  /** Genesys opened a bot session (it posted the first message to the bot). */
  open(botSessionId: string, botId: string, botVersion: string): void {
    this.sessions.set(botSessionId, { botId, botVersion, closed: false });
  }

  /** Genesys ended the session some other way (the customer left, a timeout). */
  close(botSessionId: string): void {
    const session = this.sessions.get(botSessionId);
    if (session) session.closed = true;
  }

  /** Forgets the session, as Genesys does once it expired. */
  expire(botSessionId: string): void {
    this.sessions.delete(botSessionId);
  }

  isClosed(botSessionId: string): boolean {
    return this.sessions.get(botSessionId)?.closed ?? false;
  }

  /** Resolves once `count` messages have been accepted in all. */
  acceptedCount(count: number): Promise<void> {
    if (this.accepted.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.listeners.push({ count, resolve }));
  }

  /** The next request waits until `release()`; `reached` resolves once it arrived. */
  hold(): { reached: Promise<void>; release: () => void } {
    let release!: () => void;
    let reached!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const arrived = new Promise<void>((resolve) => (reached = resolve));
    this.holds.push({ released, reached });
    return { reached: arrived, release };
  }

  plugin(): FakePlugin {
    return (app, fake: FakeGenesysPlatform) => {
      app.post(OUTGOING_PATH, async (request, reply) => {
        if (!fake.authorize(request, reply, "integration:botconnector:send")) return reply;
        const hold = this.holds.shift();
        if (hold) {
          hold.reached();
          await hold.released;
        }
        const body = (request.body ?? {}) as Record<string, unknown>;
        this.received.push(body);
        if (!checkBody(body)) {
          const first = checkBody.errors?.[0];
          const field = `${first?.instancePath || "body"}${first?.keyword === "required" ? `.${String(first.params.missingProperty)}` : ""}`;
          return reply.code(400).send(errorBody(400, "bad.request", `${field}: ${first?.message ?? "invalid"}`));
        }
        const info = body.errorInfo as Record<string, unknown> | undefined;
        if (info) {
          const model = "code" in info || "message" in info;
          const spec = "errorCode" in info || "errorMessage" in info;
          if ((this.errorInfoKeys === "model" && spec) || (this.errorInfoKeys === "spec" && model)) {
            return reply.code(400).send(errorBody(400, "bad.request", "errorInfo: Unrecognized field"));
          }
        }
        if (!this.integrationActive) return reply.code(409).send(errorBody(409, "integration.not.active", "The integration is not active"));
        const session = this.sessions.get(String(body.botSessionId));
        if (!session) return reply.code(409).send(errorBody(409, "session.not.found", "Bot session not found"));
        if (session.closed) return reply.code(409).send(errorBody(409, "session.already.closed", "Bot session already closed"));
        if (session.botId !== body.botId) return reply.code(409).send(errorBody(409, "session.bot.id.mismatch", "Bot id does not match the session"));
        if (session.botVersion !== body.botVersion) return reply.code(409).send(errorBody(409, "session.bot.version.mismatch", "Bot version does not match the session"));
        if (body.botState === "Complete" || body.botState === "Failed") session.closed = true;
        const messageId = randomUUID();
        this.accepted.push({ messageId, body: structuredClone(body) });
        for (const listener of [...this.listeners]) {
          if (this.accepted.length >= listener.count) {
            this.listeners.splice(this.listeners.indexOf(listener), 1);
            listener.resolve();
          }
        }
        return { messageId };
      });
    };
  }
}
