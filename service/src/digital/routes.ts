/**
 * The Digital Bot Connector's routes under one base path (the integration's "Bot Connector URI"):
 *
 * - `GET  /digitalbotconnector/bots`: the manifest, derived from the bot definitions (protocol/v2/manifest.ts);
 * - `GET  /digitalbotconnector/bots/:botId`: one bot of it, or 404 (query parameters are ignored);
 * - `POST /digitalbotconnector/messages`: one customer message (digital/turns.ts).
 *
 * Every route checks the connection secret first (the same VERIFY_TOKEN and VERIFY_TOKEN_HEADER as v1, compared in
 * constant time): 403 without it. Bad bodies get 400 naming the field, as v1's route does (the service's error
 * handler formats both).
 */
import { type FastifyError, type FastifyInstance } from "fastify";
import generatedValidator from "../generated/digitalMessageRequestValidator";
import { type ServiceMetrics } from "../observability/metrics";
import { normalizeEnumCase } from "../protocol/requestSchema";
import { type ValidDigitalMessageBody } from "../protocol/v2/requestSchema";
import { DIGITAL_BASE_PATH, DIGITAL_ROUTES, type DigitalBot, type DigitalBotManifest } from "../protocol/v2/types";
import { verifyTokenHook } from "../verifyToken";
import { type DigitalTurns } from "./turns";

interface Validator {
  (data: unknown): boolean;
  errors?: FastifyError["validation"] | null;
}
const validateMessage = generatedValidator as unknown as Validator;

export interface DigitalRoutesOptions {
  manifest: DigitalBotManifest;
  turns: DigitalTurns;
  metrics: ServiceMetrics;
  verifyTokens: readonly string[];
  verifyTokenHeader: string;
}

const relative = (route: string) => route.slice(DIGITAL_BASE_PATH.length);

/** An error the service's error handler answers with 400 and the field, as for a v1 schema violation. */
function validationError(errors: NonNullable<Validator["errors"]>): FastifyError {
  const error = new Error("the message body is invalid") as FastifyError;
  error.validation = errors;
  error.validationContext = "body";
  error.statusCode = 400;
  return error;
}

export function registerDigitalBotConnector(app: FastifyInstance, options: DigitalRoutesOptions): void {
  const json = "application/json; charset=utf-8";
  const byId = new Map<string, DigitalBot>(options.manifest.entities.map((bot) => [bot.id, bot]));
  const manifestText = JSON.stringify(options.manifest);

  void app.register(
    async (scope) => {
      scope.addHook("onRequest", verifyTokenHook({ tokens: options.verifyTokens, header: options.verifyTokenHeader, metrics: options.metrics, subject: "Digital Bot Connector request" }));

      scope.get(relative(DIGITAL_ROUTES.bots), async (_request, reply) => reply.type(json).send(manifestText));

      scope.get<{ Params: { botId: string } }>(relative(DIGITAL_ROUTES.bot), async (request, reply) => {
        // Ids are case-sensitive in the manifest, so the lookup is exact.
        const bot = byId.get(request.params.botId);
        if (!bot) return reply.code(404).type(json).send({ error: "unknown_bot", message: `no bot with id "${request.params.botId}" (bots: ${[...byId.keys()].join(", ")})` });
        return reply.type(json).send(bot);
      });

      scope.post(relative(DIGITAL_ROUTES.messages), async (request, reply) => {
        normalizeEnumCase(request.body);
        // The service's error handler counts and logs it, and answers 400 naming the field.
        if (!validateMessage(request.body)) throw validationError(validateMessage.errors ?? []);
        const correlation = request.headers["inin-correlation-id"];
        const answered = new Promise<void>((resolve) => {
          reply.raw.once("finish", resolve);
          reply.raw.once("close", resolve);
        });
        options.metrics.inFlight.inc();
        try {
          const result = await options.turns.answer(request.body as ValidDigitalMessageBody, {
            reqId: request.id,
            correlationId: typeof correlation === "string" ? correlation : undefined,
            startedAt: request.startedAt,
            answered,
          });
          return reply.code(result.status).type(json).send(result.body);
        } finally {
          options.metrics.inFlight.dec();
        }
      });
    },
    { prefix: DIGITAL_BASE_PATH },
  );
}
