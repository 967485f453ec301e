/**
 * The upstream agent contract, version 1 (docs/upstream-agents.md): what the service POSTs to an agent and the
 * headers it sends. The JSON Schemas in service/schema/ (upstream-request, upstream-response) are the reference
 * for agent authors; these types mirror them.
 */
import { type MessageDef, type SlotType } from "../bots/definition";
import { type SlotValue } from "../protocol/types";

export const CONTRACT_VERSION = 1;

export type UpstreamAction = "continue" | "complete" | "handover" | "return";

export interface UpstreamInput {
  type: "text" | "button";
  /** What the customer wrote, or the label of the button clicked. */
  text: string;
  /** With `button`: the payload of the agent's own button, as the agent sent it (the service's tag removed). */
  payload?: string;
}

/** The body of one call. */
export interface UpstreamRequest {
  version: typeof CONTRACT_VERSION;
  /** Stable for one logical call (the same on a retry); also the Idempotency-Key header. */
  requestId: string;
  /** `start`: the conversation reached the upstream node in this turn; `message`: the customer answered the agent. */
  event: "start" | "message";
  bot: { id: string; version: string };
  node: string;
  botSessionId: string;
  genesysConversationId: string;
  language: string;
  turn: number;
  input: UpstreamInput;
  parameters: Record<string, string>;
  variables: Record<string, string | number | boolean>;
  /** What a reply may contain for this node; anything else is rejected. */
  allowed: {
    actions: UpstreamAction[];
    intents: Record<string, { handover: boolean; slots: Record<string, SlotType> }>;
    variables: string[];
    parameters: string[];
  };
  limits: { textLength: number; quickRepliesPerMessage: number; cardsPerCarousel: number; messages: number };
}

/** A reply that passed every check, with slot values in their Genesys formats. */
export interface UpstreamReply {
  action: UpstreamAction;
  /** Literal texts: no template is evaluated in an agent's messages. */
  messages: MessageDef[];
  intent?: string;
  slotValues?: Record<string, SlotValue>;
  parameters?: Record<string, string>;
  variables?: Record<string, string | number | boolean>;
  reason?: string;
}

/** Why a call gave no usable reply; these become `errorInfo.errorCode` when the turn ends `Failed`. */
export const UPSTREAM_FAILURES = {
  timeout: "UPSTREAM_TIMEOUT",
  unreachable: "UPSTREAM_UNREACHABLE",
  httpError: "UPSTREAM_ERROR",
  invalidResponse: "UPSTREAM_INVALID_RESPONSE",
  circuitOpen: "UPSTREAM_CIRCUIT_OPEN",
} as const;
export type UpstreamFailureCode = (typeof UPSTREAM_FAILURES)[keyof typeof UPSTREAM_FAILURES];

/** What the engine gets back for a call: a checked reply, or why there is none. */
export type UpstreamOutcome = { ok: true; reply: UpstreamReply } | { ok: false; errorCode: UpstreamFailureCode; errorMessage: string };

/** Header names of the contract (HTTP header names are case-insensitive; these are sent lower-case). */
export const UPSTREAM_HEADERS = {
  /** Unix time in seconds when the call was signed (HMAC auth). */
  timestamp: "x-va-timestamp",
  /** `v1=<hex HMAC-SHA256 of "<timestamp>.<body>">` (HMAC auth). */
  signature: "x-va-signature",
  /** The request's `requestId`: the same for every attempt of one logical call. */
  idempotencyKey: "idempotency-key",
} as const;

/** Most messages in one reply (the request tells the agent in `limits.messages`). */
export const MAX_REPLY_MESSAGES = 10;
