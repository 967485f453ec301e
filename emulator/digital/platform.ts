/**
 * The emulator's own Genesys Platform API, for the Digital Bot Connector's replies that come later: the login
 * host's client-credentials grant (`POST /oauth/token`) and `POST /api/v2/integrations/botconnectors/outgoing/
 * messages` with a bearer token. An outgoing message reaches the bot session it names, which checks it as Genesys
 * would and shows it in the chat; the documented 409 codes answer a session that is closed, unknown, or named with
 * another bot or version. One Fastify server on its own port: the service points GENESYS_API_BASE_URL and
 * GENESYS_LOGIN_BASE_URL at it.
 */
import { randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import Fastify, { type FastifyInstance } from "fastify";
import { OUTGOING_MESSAGES_PATH } from "../../service/src/protocol/v2/types";

/** What an open bot session does with an outgoing message: its answer is the API's (200, or 400 naming the rule). */
export interface DigitalSessionEndpoint {
  botId: string;
  botVersion: string;
  receive(body: Record<string, unknown>): { status: number; body: unknown };
}

export interface EmulatorPlatformOptions {
  host?: string;
  /** 0 (default): any free port. */
  port?: number;
  /** The service's OAuth client. */
  client: { clientId: string; clientSecret: string };
  /** Announced token lifetime (default 3600 s). */
  tokenLifetimeSeconds?: number;
}

/** Closed sessions remembered (to answer session.already.closed rather than session.not.found). */
const MAX_CLOSED_REMEMBERED = 10_000;

const REQUIRED = ["botId", "botVersion", "botSessionId", "languageCode", "botState"] as const;

function errorBody(status: number, code: string, message: string) {
  return { status, code, message, contextId: randomUUID() };
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class EmulatorPlatform {
  private readonly sessions = new Map<string, DigitalSessionEndpoint>();
  private readonly closed = new Set<string>();
  private readonly tokens = new Map<string, number>();
  /** Tokens issued so far (the service should reuse one). */
  tokensIssued = 0;

  private baseUrl = "";

  private constructor(readonly app: FastifyInstance) {}

  /** The base URL of both the login host and the API host. */
  get url(): string {
    return this.baseUrl;
  }

  static async start(options: EmulatorPlatformOptions): Promise<EmulatorPlatform> {
    const app = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: 256 * 1024 });
    const platform = new EmulatorPlatform(app);
    app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))));
    app.post("/oauth/token", async (request, reply) => {
      const [scheme, encoded] = (request.headers.authorization ?? "").split(" ");
      const [id, secret] = scheme === "Basic" && encoded ? Buffer.from(encoded, "base64").toString("utf8").split(":") : [];
      if ((request.body as Record<string, string> | undefined)?.grant_type !== "client_credentials") {
        return reply.code(400).send({ error: "unsupported_grant_type", description: "grant_type must be client_credentials" });
      }
      if (id !== options.client.clientId || !sameSecret(secret ?? "", options.client.clientSecret)) {
        return reply.code(401).send({ error: "invalid_client", description: "client authentication failed" });
      }
      const token = randomBytes(24).toString("base64url");
      const lifetime = options.tokenLifetimeSeconds ?? 3600;
      platform.tokens.set(token, Date.now() + lifetime * 1000);
      platform.tokensIssued++;
      return { access_token: token, token_type: "bearer", expires_in: lifetime };
    });
    app.post(OUTGOING_MESSAGES_PATH, async (request, reply) => {
      const p = platform;
      const header = request.headers.authorization ?? "";
      const expiresAt = header.startsWith("Bearer ") ? p.tokens.get(header.slice(7)) : undefined;
      if (expiresAt === undefined || expiresAt <= Date.now()) return reply.code(401).send(errorBody(401, "authentication.required", "No valid bearer token"));
      const body = request.body;
      if (typeof body !== "object" || body === null || Array.isArray(body)) return reply.code(400).send(errorBody(400, "bad.request", "the body must be a JSON object"));
      const message = body as Record<string, unknown>;
      const missing = REQUIRED.find((f) => typeof message[f] !== "string" || message[f] === "");
      if (missing) return reply.code(400).send(errorBody(400, "bad.request", `${missing}: is required`));
      const id = message.botSessionId as string;
      if (p.closed.has(id)) return reply.code(409).send(errorBody(409, "session.already.closed", "The bot session has already ended"));
      const session = p.sessions.get(id);
      if (!session) return reply.code(409).send(errorBody(409, "session.not.found", "No open bot session with this id"));
      if (session.botId !== message.botId) return reply.code(409).send(errorBody(409, "session.bot.id.mismatch", `botId must be the session's, ${session.botId}`));
      if (session.botVersion !== message.botVersion) return reply.code(409).send(errorBody(409, "session.bot.version.mismatch", `botVersion must be the session's, ${session.botVersion}`));
      const answer = session.receive(message);
      return reply.code(answer.status).send(answer.body);
    });
    platform.baseUrl = await app.listen({ host: options.host ?? "127.0.0.1", port: options.port ?? 0 });
    return platform;
  }

  /** Genesys opened a bot session: outgoing messages naming it reach `endpoint`. */
  open(botSessionId: string, endpoint: DigitalSessionEndpoint): void {
    this.sessions.set(botSessionId, endpoint);
  }

  /** The session ended (Complete, Failed, a timeout, the customer left): later outgoing messages get 409. */
  close(botSessionId: string): void {
    if (!this.sessions.delete(botSessionId)) return;
    this.closed.add(botSessionId);
    // Remembered for a bounded while: an older session's messages then get session.not.found instead.
    if (this.closed.size > MAX_CLOSED_REMEMBERED) this.closed.delete(this.closed.values().next().value as string);
  }

  async stop(): Promise<void> {
    await this.app.close();
  }
}
