import { hash, timingSafeEqual } from "node:crypto";
import { type FastifyReply, type FastifyRequest } from "fastify";
import { type ServiceMetrics } from "./observability/metrics";

const digest = (value: string): Buffer => hash("sha256", value, "buffer");

/**
 * Compares the presented token with every accepted one in constant time: hashing first gives equal
 * lengths, and all tokens are always compared so timing does not reveal which one (or how much) matched.
 */
export function tokenMatcher(tokens: readonly string[]): (presented: string) => boolean {
  const expected = tokens.map(digest);
  return (presented) => {
    const actual = digest(presented);
    let match = false;
    for (const e of expected) match = timingSafeEqual(e, actual) || match;
    return match;
  };
}

export interface VerifyTokenOptions {
  tokens: readonly string[];
  /** The header carrying the token (the integration credential's field name), matched without case. */
  header: string;
  metrics: ServiceMetrics;
  /** What is refused, for the log line ("turn", "Digital Bot Connector request"). */
  subject: string;
}

/**
 * An onRequest hook that answers 403 unless the request carries an accepted verify token: Genesys sends the
 * integration's credential field as a header on every call, of either protocol. Never logs the token.
 */
export function verifyTokenHook(options: VerifyTokenOptions): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined> {
  const isAccepted = tokenMatcher(options.tokens);
  const header = options.header.toLowerCase();
  const refuse = (reply: FastifyReply, message: string) => reply.code(403).type("application/json; charset=utf-8").send({ error: "forbidden", message });
  return async (request, reply) => {
    const presented = request.headers[header];
    if (typeof presented !== "string" || presented === "") {
      options.metrics.authFailures.inc({ reason: presented === undefined ? "missing" : "malformed" });
      request.log.warn({ header }, `${options.subject} refused: no verify token`);
      return refuse(reply, `missing or malformed ${header} header`);
    }
    if (!isAccepted(presented)) {
      options.metrics.authFailures.inc({ reason: "mismatch" });
      request.log.warn({ header }, `${options.subject} refused: wrong verify token`);
      return refuse(reply, `the ${header} header does not match`);
    }
    return undefined;
  };
}
