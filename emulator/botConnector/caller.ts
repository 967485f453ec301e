/**
 * Calls the bot's Handle Utterance URI the way Genesys does (docs/genesys-bot-connector.md, "The request"): a POST with a JSON
 * body, every credential field of the integration as a header, and an `inin-correlation-id`. The outcome says
 * how Genesys would classify it: an answer to check, or one of the failure outputs' error types.
 */
import { randomUUID } from "node:crypto";
import { type ErrorType } from "./rules";

/** The integration as configured in Genesys: the URI and its credential fields (sent as headers). */
export interface BotConnectorEndpoint {
  url: string;
  /** Credential field name → value; each becomes a header of that name. */
  credentials: Record<string, string>;
}

/** The Handle Utterance request body (genesys-bot-connector.md#body), field order as in the captured payloads. */
export interface HandleUtteranceRequest {
  botId: string;
  botVersion: string;
  botSessionId: string;
  genesysConversationId: string;
  inputMessage: InputMessage;
  languageCode: string;
  botSessionTimeout: number;
  chatBot: { id: string; name: string };
  parameters?: Record<string, string>;
}

export type InputMessage =
  | { type: "Text"; text: string }
  | { type: "Structured"; text: string; content: Array<{ contentType: "ButtonResponse"; buttonResponse: { type: "QuickReply" | "Button"; text: string; payload: string } }> };

/** The bot session lifetime every v1 capture shows (72 h; genesys-bot-connector.md#body). */
export const BOT_SESSION_TIMEOUT_MINUTES = 4320;
/** Genesys publishes no v1 deadline; captures and Google's adapter put it at 8–10 s (genesys-bot-connector.md#status-codes-and-the-deadline). */
export const DEFAULT_BOT_RESPONSE_TIMEOUT_MS = 10_000;
/** The emulator reads at most this much of an answer (Genesys's own cap is not documented). */
const MAX_RESPONSE_BYTES = 1024 * 1024;

export type CallOutcome =
  | { kind: "answer"; status: number; body: unknown; text: string }
  | { kind: "error"; errorType: ErrorType; errorMessage: string; status?: number; text?: string };

export interface CallRecord<Request extends object = HandleUtteranceRequest> {
  correlationId: string;
  /** Header names sent, credential values masked. */
  headers: Record<string, string>;
  request: Request;
  outcome: CallOutcome;
  durationMs: number;
}

async function readCapped(res: Response): Promise<string | undefined> {
  const declared = Number(res.headers.get("content-length") ?? "0");
  if (declared > MAX_RESPONSE_BYTES) return undefined;
  const text = await res.text();
  return Buffer.byteLength(text) > MAX_RESPONSE_BYTES ? undefined : text;
}

function describeNetworkError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ? `${cause.code}${cause.message ? ` (${cause.message})` : ""}` : (err as Error).message;
}

/** One POST to the endpoint (either protocol's message body); never throws. `cancel` aborts it (the customer left). */
export async function callBotConnector<Request extends object = HandleUtteranceRequest>(
  endpoint: BotConnectorEndpoint,
  request: Request,
  timeoutMs: number,
  cancel?: AbortSignal,
): Promise<CallRecord<Request>> {
  const correlationId = randomUUID();
  const headers: Record<string, string> = { "content-type": "application/json", "inin-correlation-id": correlationId, ...endpoint.credentials };
  const masked = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, k in endpoint.credentials ? "********" : v]));
  const started = performance.now();
  const record = (outcome: CallOutcome): CallRecord<Request> => ({ correlationId, headers: masked, request, outcome, durationMs: Math.round(performance.now() - started) });
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = cancel ? AbortSignal.any([deadline, cancel]) : deadline;
  let res: Response;
  try {
    res = await fetch(endpoint.url, { method: "POST", headers, body: JSON.stringify(request), signal });
  } catch (err) {
    if (cancel?.aborted) return record({ kind: "error", errorType: "ServiceProviderErrorResponse", errorMessage: "cancelled: the customer left" });
    if (deadline.aborted) return record({ kind: "error", errorType: "ServiceProviderTimeout", errorMessage: `no answer within ${timeoutMs} ms` });
    return record({ kind: "error", errorType: "ServiceProviderErrorResponse", errorMessage: `could not reach ${endpoint.url}: ${describeNetworkError(err)}` });
  }
  let text: string | undefined;
  try {
    text = await readCapped(res);
  } catch {
    if (deadline.aborted) return record({ kind: "error", errorType: "ServiceProviderTimeout", errorMessage: `the answer did not finish within ${timeoutMs} ms`, status: res.status });
    return record({ kind: "error", errorType: "ServiceProviderErrorResponse", errorMessage: "the connection broke while reading the answer", status: res.status });
  }
  if (text === undefined) return record({ kind: "error", errorType: "ServiceProviderInvalidResponse", errorMessage: `the answer is larger than ${MAX_RESPONSE_BYTES} bytes`, status: res.status });
  if (res.status < 200 || res.status > 299) {
    return record({ kind: "error", errorType: "ServiceProviderErrorResponse", errorMessage: `HTTP ${res.status}${text ? `: ${text.slice(0, 300)}` : ""}`, status: res.status, text });
  }
  try {
    return record({ kind: "answer", status: res.status, body: JSON.parse(text) as unknown, text });
  } catch {
    return record({ kind: "error", errorType: "ServiceProviderInvalidResponse", errorMessage: `the body is not JSON: ${JSON.stringify(text.slice(0, 120))}`, status: res.status, text });
  }
}
