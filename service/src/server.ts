import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyServerOptions,
  LogController,
} from "fastify";
import { type FastifyValidationResult } from "fastify/types/schema";
import { type Logger } from "pino";
import { type BotRegistry } from "./bots/registry";
import { bindLogger, lazyChildLoggerFactory } from "./observability/logger";
import { type ServiceMetrics } from "./observability/metrics";
import { toTurnRequest, v1TurnId } from "./protocol/request";
import { TURN_ROUTE } from "./protocol/types";
import { normalizeEnumCase, turnRequestSchema, type ValidTurnBody } from "./protocol/requestSchema";
import generatedTurnValidator from "./generated/turnRequestValidator";
import { type SessionStore } from "./sessions/store";
import { type TranscriptLimits } from "./engine/transcript";
import { type HandoverSink } from "./handover/participantData";
import { answerTurn, capTurnInput, turnSummaryFields, type TurnDependencies, type TurnLimits } from "./turn";
import { connectionLimit, processOpenFileLimit, watchConnections } from "./connections";
import { type UpstreamCaller } from "./upstream/client";
import { verifyTokenHook } from "./verifyToken";

export { TURN_ROUTE };
export { tokenMatcher } from "./verifyToken";

export interface ServerOptions {
  registry: BotRegistry;
  store: SessionStore;
  metrics: ServiceMetrics;
  logger: Logger;
  verifyTokens: readonly string[];
  verifyTokenHeader: string;
  turnBudgetMs: number;
  bodyLimitBytes: number;
  /** Longest a client may take to send a whole request; also bounds how long it may take to send headers or its first byte. */
  requestTimeoutMs: number;
  /** Idle keep-alive connections are closed after this; longer than the load balancer's idle timeout. */
  keepAliveTimeoutMs: number;
  /** Most client connections (lowered to fit the open-file limit, `openFileLimit`). */
  maxConnections: number;
  /** The process's open-file limit; read from the process when not given (tests give one). */
  openFileLimit?: number;
  limits: TurnLimits;
  logCustomerText: boolean;
  now?: () => Date;
  /** Monotonic milliseconds for the turn budget (tests inject one); `performance.now` by default. */
  clock?: () => number;
  /** Calls the upstream agents of the bots that have some. */
  upstreams?: UpstreamCaller;
  /** Hand-over context: where it goes after the answer, and the transcript kept for it. */
  handover?: { sink: HandoverSink; transcript: TranscriptLimits };
}

declare module "fastify" {
  interface FastifyRequest {
    startedAt: number;
  }
}

interface ErrorBody {
  error: string;
  message: string;
  field?: string;
}

function sendError(reply: FastifyReply, status: number, body: ErrorBody): FastifyReply {
  return reply.code(status).type("application/json; charset=utf-8").send(body);
}

/** The body field a validation error is about, as a dotted path (`inputMessage.type`), and what is wrong with it. */
function describeValidation(error: FastifyError): { field?: string; message: string } {
  const first = error.validation?.[0];
  if (!first) return { message: error.message };
  const base = first.instancePath.replace(/^\//, "").replace(/\//g, ".");
  const params = first.params as { missingProperty?: string; allowedValues?: unknown[] };
  if (first.keyword === "required" && params.missingProperty) {
    const field = base ? `${base}.${params.missingProperty}` : params.missingProperty;
    return { field, message: `${field}: is required` };
  }
  const problem = first.keyword === "enum" && params.allowedValues ? `must be one of ${params.allowedValues.join(", ")}` : (first.message ?? "is invalid");
  return base ? { field: base, message: `${base}: ${problem}` } : { message: `the body ${problem}` };
}

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions["schemaController"]>["compilersFactory"]>;

/**
 * Fastify's compilers, replaced: the only schema is the turn body's, compiled ahead of time
 * (npm run generate) with the options Fastify's Ajv compiler would use, and answers are plain JSON.
 * Starting the service then loads and compiles no validator. (Fastify calls the validator compiler with
 * `{ schema, method, url, httpPart }`; its published type says otherwise, hence the casts.)
 */
const precompiledCompilers: CompilersFactory = {
  buildValidator: (() => (route: { schema: unknown }) => {
    if (route.schema !== turnRequestSchema) throw new Error("only the turn request schema is precompiled; add new schemas to scripts/generate-validators.ts");
    return generatedTurnValidator as unknown as FastifyValidationResult;
  }) as unknown as CompilersFactory["buildValidator"],
  buildSerializer: (() => () => (data: unknown) => JSON.stringify(data)) as unknown as CompilersFactory["buildSerializer"],
};

/** Builds the service's HTTP server. Nothing listens until the caller does. */
export function buildServer(options: ServerOptions): FastifyInstance {
  const { metrics, registry, store } = options;
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    childLoggerFactory: lazyChildLoggerFactory,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimitBytes,
    // Bounds for slow or stalled clients; the load balancer's idle timeout stays below keepAliveTimeout (both are
    // set from one figure in components/aws), so it never sends a request on a connection the service just closed.
    requestTimeout: options.requestTimeoutMs,
    keepAliveTimeout: options.keepAliveTimeoutMs,
    // Node checks those timeouts only every 30 s by default; check often enough to honour them.
    http: {
      headersTimeout: options.requestTimeoutMs,
      connectionsCheckingInterval: Math.max(100, Math.min(1_000, Math.floor(options.requestTimeoutMs / 4))),
    },
    return503OnClosing: true,
    forceCloseConnections: "idle",
    requestIdHeader: "inin-correlation-id",
    genReqId: () => randomUUID(),
    trustProxy: true,
    // The only schema is the turn body's, compiled ahead of time (npm run generate) with the options
    // Fastify's own Ajv compiler would use, so starting the service loads and compiles no validator.
    schemaController: { compilersFactory: precompiledCompilers },
  });
  watchConnections(app.server, {
    limit: connectionLimit(options.maxConnections, options.openFileLimit ?? processOpenFileLimit()),
    silentTimeoutMs: options.requestTimeoutMs,
    metrics,
    logger: options.logger,
  });
  const clock = options.clock ?? performance.now.bind(performance);
  const turnDeps: TurnDependencies = {
    store,
    metrics,
    budgetMs: options.turnBudgetMs,
    limits: options.limits,
    clock,
    ...(options.now ? { now: options.now } : {}),
    ...(options.upstreams ? { upstreams: options.upstreams } : {}),
    ...(options.handover ? { transcript: options.handover.transcript } : {}),
  };

  // After close() begins, answers still in flight end their keep-alive connection, so the server can
  // finish closing as soon as the last turn is answered instead of waiting for idle timeouts.
  let closing = false;
  app.addHook("preClose", (done) => {
    closing = true;
    done();
  });
  // Callback-style hooks: they run on every request, and an async hook costs a promise each time.
  app.addHook("onSend", (_request, reply, payload, done) => {
    if (closing) reply.header("connection", "close");
    done(null, payload);
  });

  app.decorateRequest("startedAt", 0);
  app.addHook("onRequest", (request, _reply, done) => {
    request.startedAt = clock();
    done();
  });

  app.setNotFoundHandler((request, reply) => sendError(reply, 404, { error: "not_found", message: `no route ${request.method} ${request.url.split("?")[0]}` }));

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) {
      metrics.validationFailures.inc({ reason: "schema" });
      const { field, message } = describeValidation(error);
      request.log.info({ field }, "turn request rejected: schema");
      return sendError(reply, 400, { error: "invalid_request", message, ...(field ? { field } : {}) });
    }
    const status = error.statusCode ?? 500;
    if (status < 500) {
      const reason = error.code === "FST_ERR_CTP_BODY_TOO_LARGE" ? "too_large" : error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE" ? "media_type" : "malformed";
      metrics.validationFailures.inc({ reason });
      request.log.info({ code: error.code, status }, "request rejected");
      const code = reason === "too_large" ? "payload_too_large" : reason === "media_type" ? "unsupported_media_type" : "invalid_json";
      return sendError(reply, status, { error: code, message: error.message });
    }
    request.log.error({ err: error }, "request failed");
    return sendError(reply, 500, { error: "internal_error", message: "the request could not be processed" });
  });

  app.get("/healthz", async () => ({ status: "ok" }));

  app.get("/readyz", async (_request, reply) => {
    if (registry.size === 0) return sendError(reply, 503, { error: "not_ready", message: "no bots loaded" });
    try {
      await store.ping(AbortSignal.timeout(1000));
    } catch {
      return sendError(reply, 503, { error: "not_ready", message: `session store (${store.kind}) unreachable` });
    }
    return { status: "ready", bots: registry.size, sessionStore: store.kind };
  });

  app.get("/metrics", async (_request, reply) => {
    const text = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
  });

  app.post<{ Body: ValidTurnBody }>(
    TURN_ROUTE,
    {
      schema: { body: turnRequestSchema },
      onRequest: verifyTokenHook({ tokens: options.verifyTokens, header: options.verifyTokenHeader, metrics, subject: "turn" }),
      preValidation: (request, _reply, done) => {
        normalizeEnumCase(request.body);
        done();
      },
    },
    async (request, reply) => {
      const correlation = request.headers["inin-correlation-id"];
      const turn = toTurnRequest(request.body, typeof correlation === "string" ? correlation : undefined);
      const resolution = registry.resolve(turn);
      const log = bindLogger(options.logger, {
        reqId: request.id,
        genesysConversationId: turn.genesysConversationId,
        botSessionId: turn.botSessionId,
        correlationId: turn.correlationId,
        botId: resolution.ok ? resolution.bot.definition.id : (turn.chatBotId ?? turn.botId),
        botVersion: turn.botVersion,
      });
      metrics.inFlight.inc();
      try {
        const result = await answerTurn(turn, v1TurnId(turn), resolution, turnDeps, request.startedAt, log);
        const seconds = (clock() - request.startedAt) / 1000;
        metrics.observeTurn(result.bot, result.version, result.outcome, seconds);
        log.summary(
          {
            ...turnSummaryFields(result, seconds),
            // Only what the turn processed: text past the turn cap is never logged either.
            ...(options.logCustomerText ? { customerText: capTurnInput(turn, options.limits.textMaxChars).request.input.text } : {}),
          },
          "turn",
        );
        // A JSON string with a JSON content type is sent as is (the turn serialised it once, to store it too).
        const sent = reply.type("application/json; charset=utf-8").send(result.responseJson ?? result.response);
        // Hand-over context is written after the answer is on its way, never delaying it (docs/handover-context.md).
        if (result.handover) options.handover?.sink.submit(result.handover, log);
        return sent;
      } finally {
        metrics.inFlight.dec();
      }
    },
  );

  return app;
}
