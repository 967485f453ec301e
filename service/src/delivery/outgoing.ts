/**
 * One call of the Platform API's `POST /api/v2/integrations/botconnectors/outgoing/messages` (preview; permission
 * integration:botconnector:send) with the service's OAuth client, and what its answer means. Retries are not
 * made here: the delivery queue (queue.ts) decides, within the delivery's deadline.
 */
import { type GenesysApiConfig } from "../config";
import { GenesysApiError, GenesysAuthError, GenesysNetworkError, GenesysPlatformClient, isRetryableStatus, parseRetryAfter, type PlatformApi } from "../genesys";
import { OUTGOING_CONFLICTS, OUTGOING_MESSAGES_PATH, type OutgoingConflict, type OutgoingMessageRequest } from "../protocol/v2/types";
import { type DeliveryResult } from "../digital/metrics";

/** Sends one outgoing message; resolves with Genesys's message id, throws what the Platform API client throws. */
export interface OutgoingMessagesApi {
  send(body: OutgoingMessageRequest, signal: AbortSignal): Promise<{ messageId?: string }>;
}

export function outgoingMessagesApi(api: PlatformApi): OutgoingMessagesApi {
  return {
    async send(body, signal) {
      const answer = await api.request<{ messageId?: string } | undefined>("POST", OUTGOING_MESSAGES_PATH, { body, signal });
      return { messageId: typeof answer?.messageId === "string" ? answer.messageId : undefined };
    },
  };
}

/** The outgoing messages API of the service's OAuth client: tokens cached until shortly before they expire. */
export function createOutgoingMessagesApi(config: GenesysApiConfig, fetchImpl?: typeof fetch): OutgoingMessagesApi {
  const client = new GenesysPlatformClient({
    apiBaseUrl: config.apiBaseUrl,
    loginBaseUrl: config.loginBaseUrl,
    credentials: { clientId: config.clientId, clientSecret: config.clientSecret },
    // One attempt per call (a 401 still refreshes the token once): the queue retries, within the session's life.
    retry: { maxAttempts: 1 },
    timeoutMs: 10_000,
    userAgent: "genesys-virtual-agent-botconnector/1",
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
  return outgoingMessagesApi(client);
}

/** What to do after a failed call. */
export type SendFailure =
  | { kind: "retry"; status?: number; retryAfterMs?: number; reason: string }
  | { kind: "final"; result: DeliveryResult; conflict?: OutgoingConflict; status?: number; reason: string }
  /** 400 on a body with errorInfo: its keys are the one unconfirmed part; resend it once without them. */
  | { kind: "withoutErrorInfo"; reason: string };

function conflictResult(code: OutgoingConflict): DeliveryResult {
  switch (code) {
    case "integration.not.active":
      return "integration_inactive";
    case "session.already.closed":
      return "session_closed";
    case "session.not.found":
      return "session_not_found";
    default:
      return "mismatch";
  }
}

/** Classifies an error of `send`: retried (429, 5xx, no answer), or final (409 by code, another 4xx, refused credentials). */
export function classifySendError(err: unknown, body: OutgoingMessageRequest, now: number): SendFailure {
  if (err instanceof GenesysNetworkError) return { kind: "retry", reason: err.message };
  if (err instanceof GenesysAuthError) return { kind: "final", result: "rejected", status: err.status, reason: err.message };
  if (err instanceof GenesysApiError) {
    if (isRetryableStatus(err.status)) {
      const retryAfter = err.retryAfter === undefined ? undefined : parseRetryAfter(err.retryAfter, now);
      return { kind: "retry", status: err.status, ...(retryAfter !== undefined ? { retryAfterMs: retryAfter } : {}), reason: err.message };
    }
    const code = err.code;
    if (err.status === 409 && code !== undefined && Object.hasOwn(OUTGOING_CONFLICTS, code)) {
      const conflict = code as OutgoingConflict;
      return { kind: "final", result: conflictResult(conflict), conflict, status: 409, reason: `${code}: ${OUTGOING_CONFLICTS[conflict]}` };
    }
    if (err.status === 400 && body.errorInfo !== undefined) return { kind: "withoutErrorInfo", reason: err.message };
    return { kind: "final", result: "rejected", status: err.status, reason: err.message };
  }
  return { kind: "retry", reason: (err as Error)?.message ?? String(err) };
}
