/**
 * A local fake of the Genesys Cloud Platform API for tests: the OAuth client-credentials token endpoint of the
 * login host, the integration types and their config schemas, the Bot Connector bot list with Genesys's
 * documented validation and limits, the token/client/role lookups the doctor uses, and fault injection
 * (429 with Retry-After, 5xx, expired tokens). One Fastify server on 127.0.0.1 (port 0) plays both the
 * login host and the API host, so a client points `loginBaseUrl` and `apiBaseUrl` at `fake.url`.
 *
 * To extend it (for example participant data for hand-over context), pass `plugins` to `start()`: each gets
 * the Fastify instance and the fake, and can use `fake.authorize(request, reply, permission)` for the same
 * bearer-token and permission checks the built-in routes use.
 */
import { randomBytes, randomUUID } from "node:crypto";
import Ajv, { type ErrorObject } from "ajv";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { SLOT_TYPES } from "../../service/src/bots/definition";
import { type BotList } from "../../service/src/bots/botList";
import { permits } from "../../components/genesys/tooling/permissions";

export interface FakeOAuthClient {
  clientId: string;
  clientSecret: string;
  name?: string;
  /** Roles granted to the client (ids of roles added with addRole); no roles means every permission. */
  roleIds?: string[];
}

export interface FakeRole {
  id: string;
  name: string;
  /** Permissions as `domain:entity:action`; `*` works in any part. */
  permissions: string[];
}

export interface FakeIntegrationType {
  id: string;
  name: string;
  description?: string;
  /** Config property names and titles for GET .../configschemas/properties. */
  properties: Record<string, { title: string; required?: boolean; format?: string }>;
  /** Credential slots: slot key → accepted credential type names. */
  credentials: Record<string, string[]>;
}

export interface FakeIntegration {
  id: string;
  integrationTypeId: string;
  name: string;
}

export interface Fault {
  method?: string;
  /** Path prefix the fault applies to (query string excluded). */
  path: string;
  status: number;
  /** Seconds, sent as Retry-After. */
  retryAfter?: number;
  body?: unknown;
  /** How many matching requests fail (default 1). */
  times?: number;
}

export interface RecordedCall {
  method: string;
  path: string;
  status: number;
}

export type FakePlugin = (app: FastifyInstance, fake: FakeGenesysPlatform) => void | Promise<void>;

export interface FakeOptions {
  /** Token lifetime announced in `expires_in` (default 86400 s, as Genesys). */
  tokenLifetimeSeconds?: number;
  plugins?: FakePlugin[];
}

/** The integration type the fake lists as the Bot Connector unless a test replaces it. */
export const FAKE_BOT_CONNECTOR_TYPE: FakeIntegrationType = {
  id: "fake-bot-connector",
  name: "Genesys Bot Connector",
  description: "Connects Architect flows to a third-party bot",
  properties: { fakeHandleUtteranceUri: { title: "Bot Connector Handle Utterance URI", required: true, format: "uri" } },
  credentials: { fakeCredentialSlot: ["userDefined"] },
};

const CREDENTIAL_TYPES = ["basicAuth", "userDefined", "userDefinedOAuth", "pureCloudOAuthClient"];

interface IssuedToken {
  clientId: string;
  expiresAt: number;
}

export class FakeGenesysPlatform {
  readonly clients = new Map<string, FakeOAuthClient>();
  readonly roles = new Map<string, FakeRole>();
  readonly integrationTypes = new Map<string, FakeIntegrationType>();
  readonly integrations = new Map<string, FakeIntegration>();
  readonly botLists = new Map<string, BotList>();
  readonly calls: RecordedCall[] = [];
  /** Bodies of accepted bot-list PUTs, per integration, in order. */
  readonly botListPuts: Array<{ integrationId: string; body: BotList }> = [];
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly faults: Array<Fault & { remaining: number }> = [];
  private baseUrl = "";

  private constructor(
    readonly app: FastifyInstance,
    private readonly options: FakeOptions,
  ) {
    this.integrationTypes.set(FAKE_BOT_CONNECTOR_TYPE.id, FAKE_BOT_CONNECTOR_TYPE);
  }

  static async start(options: FakeOptions = {}): Promise<FakeGenesysPlatform> {
    // Closing ends every connection: a client that aborted a request mid-flight must not keep a test waiting.
    const app = Fastify({ logger: false, forceCloseConnections: true });
    const fake = new FakeGenesysPlatform(app, options);
    fake.registerCore();
    for (const plugin of options.plugins ?? []) await plugin(app, fake);
    fake.baseUrl = await app.listen({ host: "127.0.0.1", port: 0 });
    return fake;
  }

  /** Base URL for both the login host and the API host. */
  get url(): string {
    return this.baseUrl;
  }

  async close(): Promise<void> {
    await this.app.close();
  }

  addClient(client: FakeOAuthClient): this {
    this.clients.set(client.clientId, client);
    return this;
  }

  addRole(role: FakeRole): this {
    this.roles.set(role.id, role);
    return this;
  }

  addIntegrationType(type: FakeIntegrationType): this {
    this.integrationTypes.set(type.id, type);
    return this;
  }

  /** Replaces the catalog (for example to list no Bot Connector at all). */
  clearIntegrationTypes(): this {
    this.integrationTypes.clear();
    return this;
  }

  addIntegration(integration: FakeIntegration): this {
    this.integrations.set(integration.id, integration);
    return this;
  }

  /** Makes the next matching request(s) fail before any other handling. */
  injectFault(fault: Fault): this {
    this.faults.push({ ...fault, remaining: fault.times ?? 1 });
    return this;
  }

  /** Drops faults not yet used up. */
  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Every token issued so far stops working, as if it had expired or been revoked. */
  expireAllTokens(): void {
    for (const token of this.tokens.values()) token.expiresAt = 0;
  }

  /** How many tokens the login host has issued. */
  get tokensIssued(): number {
    return this.tokens.size;
  }

  /**
   * Checks the bearer token and a permission; sends 401/403 the way Genesys does and returns undefined
   * when the request may not go on.
   */
  authorize(request: FastifyRequest, reply: FastifyReply, permission?: string): FakeOAuthClient | undefined {
    const header = request.headers.authorization ?? "";
    const token = header.startsWith("Bearer ") ? this.tokens.get(header.slice(7)) : undefined;
    if (!token || token.expiresAt <= Date.now()) {
      void reply.code(401).send(errorBody(401, "authentication.required", "No authentication bearer token specified in authorization header."));
      return undefined;
    }
    const client = this.clients.get(token.clientId);
    if (!client) {
      void reply.code(401).send(errorBody(401, "bad.credentials", "Invalid login credentials."));
      return undefined;
    }
    if (permission && !this.permissionsOf(client).some((granted) => permits(granted, permission))) {
      void reply
        .code(403)
        .send(errorBody(403, "missing.permissions", `Unable to perform the requested action. You are missing the following permission(s): [${permission}]`));
      return undefined;
    }
    return client;
  }

  permissionsOf(client: FakeOAuthClient): string[] {
    if (!client.roleIds || client.roleIds.length === 0) return ["*:*:*"];
    return client.roleIds.flatMap((id) => this.roles.get(id)?.permissions ?? []);
  }

  private registerCore(): void {
    const app = this.app;
    app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });

    app.addHook("onRequest", async (request, reply) => {
      const path = request.url.split("?")[0] ?? "";
      const fault = this.faults.find((f) => f.remaining > 0 && path.startsWith(f.path) && (!f.method || f.method === request.method));
      if (!fault) return;
      fault.remaining--;
      if (fault.retryAfter !== undefined) void reply.header("retry-after", String(fault.retryAfter));
      await reply.code(fault.status).send(fault.body ?? errorBody(fault.status, fault.status === 429 ? "too.many.requests" : "internal.server.error", "injected fault"));
    });
    app.addHook("onResponse", async (request, reply) => {
      this.calls.push({ method: request.method, path: request.url.split("?")[0] ?? "", status: reply.statusCode });
    });

    app.post("/oauth/token", async (request, reply) => {
      const [scheme, encoded] = (request.headers.authorization ?? "").split(" ");
      const [clientId, secret] = scheme === "Basic" && encoded ? Buffer.from(encoded, "base64").toString("utf8").split(":") : [];
      const client = clientId ? this.clients.get(clientId) : undefined;
      const grant = (request.body as Record<string, string> | undefined)?.grant_type;
      if (grant !== "client_credentials") return reply.code(400).send({ error: "unsupported_grant_type", description: "grant_type must be client_credentials" });
      if (!client || client.clientSecret !== secret) return reply.code(401).send({ error: "invalid_client", description: "client authentication failed" });
      const token = randomBytes(24).toString("base64url");
      const lifetime = this.options.tokenLifetimeSeconds ?? 86400;
      this.tokens.set(token, { clientId: client.clientId, expiresAt: Date.now() + lifetime * 1000 });
      return { access_token: token, token_type: "bearer", expires_in: lifetime };
    });

    app.get("/api/v2/tokens/me", async (request, reply) => {
      const client = this.authorize(request, reply);
      if (!client) return reply;
      return { organization: { id: "fake-org", name: "Fake Org" }, OAuthClient: { id: client.clientId, name: client.name ?? client.clientId } };
    });

    app.get<{ Params: { id: string } }>("/api/v2/oauth/clients/:id", async (request, reply) => {
      if (!this.authorize(request, reply, "oauth:client:view")) return reply;
      const client = this.clients.get(request.params.id);
      if (!client) return reply.code(404).send(errorBody(404, "not.found", `OAuth client ${request.params.id} not found`));
      return {
        id: client.clientId,
        name: client.name ?? client.clientId,
        authorizedGrantType: "CLIENT-CREDENTIALS",
        roleDivisions: (client.roleIds ?? []).map((roleId) => ({ roleId, divisionId: "*" })),
      };
    });

    app.get<{ Params: { id: string } }>("/api/v2/authorization/roles/:id", async (request, reply) => {
      if (!this.authorize(request, reply, "authorization:role:view")) return reply;
      const role = this.roles.get(request.params.id);
      if (!role) return reply.code(404).send(errorBody(404, "not.found", `role ${request.params.id} not found`));
      return {
        id: role.id,
        name: role.name,
        permissionPolicies: role.permissions.map((p) => {
          const [domain, entityName, action] = p.split(":");
          return { domain, entityName, actionSet: [action] };
        }),
      };
    });

    app.get<{ Querystring: { pageSize?: string; pageNumber?: string } }>("/api/v2/integrations/types", async (request, reply) => {
      if (!this.authorize(request, reply, "integrations:integration:view")) return reply;
      const all = [...this.integrationTypes.values()].map(typeEntity);
      const pageSize = Number(request.query.pageSize ?? 25);
      const pageNumber = Number(request.query.pageNumber ?? 1);
      return {
        entities: all.slice((pageNumber - 1) * pageSize, pageNumber * pageSize),
        pageSize,
        pageNumber,
        total: all.length,
        pageCount: Math.max(1, Math.ceil(all.length / pageSize)),
      };
    });

    app.get<{ Params: { id: string } }>("/api/v2/integrations/types/:id", async (request, reply) => {
      if (!this.authorize(request, reply, "integrations:integration:view")) return reply;
      const type = this.integrationTypes.get(request.params.id);
      if (!type) return reply.code(404).send(errorBody(404, "not.found", `integration type ${request.params.id} not found`));
      return typeEntity(type);
    });

    app.get<{ Params: { id: string; configType: string } }>("/api/v2/integrations/types/:id/configschemas/:configType", async (request, reply) => {
      if (!this.authorize(request, reply, "integrations:integration:view")) return reply;
      const type = this.integrationTypes.get(request.params.id);
      if (!type) return reply.code(404).send(errorBody(404, "not.found", `integration type ${request.params.id} not found`));
      if (request.params.configType === "advanced") return { $schema: "http://json-schema.org/draft-04/schema#", type: "object", properties: {} };
      if (request.params.configType !== "properties") return reply.code(400).send(errorBody(400, "bad.request", "configType must be properties or advanced"));
      return {
        id: `${type.id}-properties`,
        $schema: "http://json-schema.org/draft-04/schema#",
        title: `${type.name} properties`,
        type: "object",
        required: Object.entries(type.properties).filter(([, p]) => p.required).map(([k]) => k),
        properties: Object.fromEntries(
          Object.entries(type.properties).map(([k, p]) => [k, { type: "string", title: p.title, ...(p.format ? { format: p.format } : {}) }]),
        ),
        additionalProperties: false,
      };
    });

    app.get("/api/v2/integrations/credentials/types", async (request, reply) => {
      if (!this.authorize(request, reply, "integrations:integration:view")) return reply;
      return { entities: CREDENTIAL_TYPES.map((name) => ({ id: name, name, displayName: name })) };
    });

    app.get<{ Params: { id: string } }>("/api/v2/integrations/botconnector/:id/bots", async (request, reply) => {
      if (!this.authorize(request, reply, "integration:botconnector:view")) return reply;
      const integration = this.botConnector(request.params.id, reply);
      if (!integration) return reply;
      return this.botLists.get(integration.id) ?? { chatBots: [] };
    });

    app.put<{ Params: { id: string } }>("/api/v2/integrations/botconnector/:id/bots", async (request, reply) => {
      if (!this.authorize(request, reply, "integration:botconnector:edit")) return reply;
      const integration = this.botConnector(request.params.id, reply);
      if (!integration) return reply;
      const problems = validateBotList(request.body);
      if (problems.length > 0) {
        return reply.code(400).send({
          ...errorBody(400, "bad.request", problems[0] as string),
          errors: problems.map((message) => errorBody(400, "invalid.value", message)),
        });
      }
      const list = structuredClone(request.body as BotList);
      this.botLists.set(integration.id, list);
      this.botListPuts.push({ integrationId: integration.id, body: list });
      return reply.code(204).send();
    });
  }

  private botConnector(id: string, reply: FastifyReply): FakeIntegration | undefined {
    const integration = this.integrations.get(id);
    if (!integration) {
      void reply.code(404).send(errorBody(404, "not.found", `Integration ${id} not found`));
      return undefined;
    }
    const type = this.integrationTypes.get(integration.integrationTypeId);
    if (!type || type.name !== FAKE_BOT_CONNECTOR_TYPE.name) {
      void reply.code(400).send(errorBody(400, "bad.request", `Integration ${id} is not a Bot Connector integration`));
      return undefined;
    }
    return integration;
  }
}

function typeEntity(type: FakeIntegrationType) {
  return {
    id: type.id,
    name: type.name,
    description: type.description,
    provider: "genesys",
    category: "Bots",
    configPropertiesSchemaUri: `/api/v2/integrations/types/${type.id}/configschemas/properties`,
    configAdvancedSchemaUri: `/api/v2/integrations/types/${type.id}/configschemas/advanced`,
    credentials: Object.fromEntries(
      Object.entries(type.credentials).map(([slot, credentialTypes]) => [slot, { title: "Credentials", required: true, credentialTypes }]),
    ),
    selfUri: `/api/v2/integrations/types/${type.id}`,
  };
}

export function errorBody(status: number, code: string, message: string) {
  return { message, code, status, contextId: randomUUID(), details: [], errors: [] as unknown[] };
}

// ---- bot list validation: the BotList model's documented limits (platform API docs; docs/genesys-bot-connector.md#shape-and-limits) ----

const NAME = { type: "string", minLength: 1, maxLength: 100 };
const botListSchema = {
  type: "object",
  required: ["chatBots"],
  properties: {
    chatBots: {
      type: "array",
      maxItems: 50,
      items: {
        type: "object",
        required: ["id", "versions"],
        properties: {
          id: NAME,
          name: NAME,
          description: { type: "string", maxLength: 256 },
          versions: {
            type: "array",
            minItems: 1,
            maxItems: 50,
            items: {
              type: "object",
              required: ["version", "supportedLanguages", "intents"],
              properties: {
                version: NAME,
                supportedLanguages: { type: "array", minItems: 1, items: { type: "string", pattern: "^[a-z]{2,3}(-[a-z0-9]{2,8})*$" } },
                intents: {
                  type: "array",
                  maxItems: 50,
                  items: {
                    type: "object",
                    required: ["name"],
                    properties: {
                      name: NAME,
                      slots: {
                        type: "object",
                        maxProperties: 50,
                        additionalProperties: {
                          type: "object",
                          required: ["name", "type"],
                          properties: { name: NAME, type: { type: "string" } },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;

const ajv = new Ajv({ allErrors: true, strict: false });
const checkShape = ajv.compile(botListSchema);

/** `/chatBots/0/versions/1` → `chatBots[0].versions[1]`, the way Genesys names fields in its messages. */
function fieldPath(pointer: string): string {
  return pointer
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), "");
}

function shapeMessage(e: ErrorObject): string {
  const where = fieldPath(e.instancePath) || "body";
  if (e.keyword === "required") return `${where}.${String(e.params.missingProperty)}: may not be null`;
  if (e.keyword === "maxLength") return `${where}: size must be between 0 and ${String(e.params.limit)}`;
  if (e.keyword === "minLength") return `${where}: must not be empty`;
  if (e.keyword === "maxItems" || e.keyword === "maxProperties") return `${where}: must contain at most ${String(e.params.limit)} items`;
  if (e.keyword === "minItems") return `${where}: must contain at least ${String(e.params.limit)} item`;
  if (e.keyword === "pattern") return `${where}: must be a lower-case language tag such as en-us`;
  return `${where}: ${e.message ?? e.keyword}`;
}

const DISPLAYABLE = /^[^\p{Cc}\p{Cs}]*$/u;

export function validateBotList(body: unknown): string[] {
  if (!checkShape(body)) return (checkShape.errors ?? []).map(shapeMessage);
  const problems: string[] = [];
  const list = body as BotList;
  const text = (where: string, value: string | undefined) => {
    if (value === undefined) return;
    if (value.trim() !== value) problems.push(`${where}: must not have leading or trailing whitespace`);
    if (!DISPLAYABLE.test(value)) problems.push(`${where}: must contain only displayable characters`);
  };
  const seenBots = new Set<string>();
  list.chatBots.forEach((bot, b) => {
    const at = `chatBots[${b}]`;
    text(`${at}.id`, bot.id);
    text(`${at}.name`, bot.name);
    text(`${at}.description`, bot.description);
    if (seenBots.has(bot.id)) problems.push(`${at}.id: duplicate bot id ${bot.id}`);
    seenBots.add(bot.id);
    const seenVersions = new Set<string>();
    bot.versions.forEach((version, v) => {
      const vat = `${at}.versions[${v}]`;
      text(`${vat}.version`, version.version);
      if (seenVersions.has(version.version)) problems.push(`${vat}.version: duplicate version ${version.version}`);
      seenVersions.add(version.version);
      const seenIntents = new Set<string>();
      version.intents.forEach((intent, i) => {
        const iat = `${vat}.intents[${i}]`;
        text(`${iat}.name`, intent.name);
        if (seenIntents.has(intent.name)) problems.push(`${iat}.name: duplicate intent ${intent.name}`);
        seenIntents.add(intent.name);
        for (const [key, slot] of Object.entries(intent.slots ?? {})) {
          text(`${iat}.slots[${key}].name`, slot.name);
          if (!SLOT_TYPES.some((t) => t.toLowerCase() === String(slot.type).toLowerCase())) {
            problems.push(`${iat}.slots[${key}].type: unsupported slot type ${String(slot.type)}`);
          }
        }
      });
    });
  });
  return problems;
}
