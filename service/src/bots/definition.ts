/**
 * The bot definition: the one source of truth for a bot. The YAML files under `service/bots/`
 * follow `service/schema/bot-definition.schema.json`; these types mirror that schema.
 * The service runs the conversation from a definition, the Genesys bot list and the Architect
 * flow are derived from it, and the emulator knows what Genesys would know because of it.
 */

/** Genesys slot types as the bot list declares them (capitalised form). */
export const SLOT_TYPES = [
  "String",
  "Integer",
  "Decimal",
  "Duration",
  "Boolean",
  "Currency",
  "Datetime",
  "StringCollection",
  "IntegerCollection",
  "DecimalCollection",
  "DurationCollection",
  "BooleanCollection",
  "CurrencyCollection",
  "DatetimeCollection",
] as const;
export type SlotType = (typeof SLOT_TYPES)[number];

/** A text shown to the customer: one string for every language, or one per language code. */
export type LocalizedText = string | Record<string, string>;

/** Words that mean the same thing, per language (or the same list for every language). */
export type LocalizedWords = string[] | Record<string, string[]>;

export interface QuickReplyDef {
  label: LocalizedText;
  payload: string;
  image?: string;
}

export type CardActionDef =
  | { type: "postback"; label: LocalizedText; payload: string }
  | { type: "link"; label: LocalizedText; url: string };

export interface CardDef {
  title: LocalizedText;
  description?: LocalizedText;
  image?: string;
  defaultAction?: CardActionDef;
  actions: CardActionDef[];
}

/** One message the bot sends. Exactly one of text (alone or with quick replies), card or carousel. */
export interface MessageDef {
  text?: LocalizedText;
  quickReplies?: QuickReplyDef[];
  card?: CardDef;
  carousel?: CardDef[];
}

export interface ChoiceOption {
  value: string;
  label: LocalizedText;
  synonyms?: LocalizedWords;
}

export type AnswerDef =
  | { type: "text"; minLength?: number; maxLength?: number }
  | { type: "number"; integer?: boolean; min?: number; max?: number }
  | { type: "yesNo" }
  | { type: "choice"; options: ChoiceOption[]; present?: "quickReplies" | "none" }
  | { type: "email" }
  | { type: "date"; minDaysFromToday?: number; maxDaysFromToday?: number }
  | { type: "pattern"; regex: string; flags?: string; example?: LocalizedText };

export interface QuestionDef {
  prompt: MessageDef[];
  answer: AnswerDef;
  /** The conversation variable that receives the answer. */
  var: string;
  /** Sent instead of the prompt after an answer that did not validate. */
  retryPrompt?: MessageDef[];
  /** Misses allowed before `onNoMatch` is taken (default 3). */
  maxAttempts?: number;
  /** Where to go after too many misses; absent: the bot says its `noMatch` message and hands over with `defaultHandoverIntent`. */
  onNoMatch?: string;
}

export interface OptionalQuestionDef extends QuestionDef {
  skip: {
    /** Words that skip the question. */
    words?: LocalizedWords;
    /** Label of a quick reply that skips the question. */
    button?: LocalizedText;
    /** Where to go when skipped (default: the node's `next`). */
    next?: string;
  };
}

export type ConditionDef =
  | { all: ConditionDef[] }
  | { any: ConditionDef[] }
  | { not: ConditionDef }
  | {
      /** `vars.<name>`, `params.<name>` or `language`. */
      ref: string;
      equals?: string | number | boolean;
      in?: Array<string | number>;
      matches?: string;
      exists?: boolean;
      greaterThan?: number;
      lessThan?: number;
    };

export interface BranchDef {
  cases: Array<{ when: ConditionDef; next: string }>;
  default: string;
}

export interface CompleteDef {
  intent: string;
  /** Slot name → template. Default: every declared slot filled from the variable of the same name. */
  slots?: Record<string, string>;
  /** Output session variables for Architect (flat strings). */
  parameters?: Record<string, string>;
  say?: MessageDef[];
}

export interface HandoverDef {
  /** A declared intent marked `handover: true`; default: the bot's `defaultHandoverIntent`. */
  intent?: string;
  reason: string;
  slots?: Record<string, string>;
  parameters?: Record<string, string>;
  say?: MessageDef[];
}

/**
 * Hands the conversation (or a part of it) to an upstream HTTP agent declared under `upstreams`: the agent
 * answers this turn and every following one until it completes, hands over or returns control to `next`.
 */
export interface UpstreamNodeDef {
  /** The name of the agent under `upstreams`. */
  agent: string;
  /** Intents the agent may end the session with (default: every declared intent). */
  intents?: string[];
  /** Variables the agent may set (readable as `vars.<name>` by later nodes and slot templates). */
  variables?: string[];
  /** Output session variables the agent may return with an intent (flat strings, as Architect needs). */
  parameters?: string[];
  /** Where to continue when the agent fails (timeout, unreachable, invalid reply, circuit open); default: the turn ends `Failed`. */
  onFailure?: string;
}

/** How the service authenticates to an upstream agent; secrets come from the environment, never from the file. */
export type UpstreamAuthDef = { type: "bearer"; tokenEnv: string } | { type: "hmac"; secretEnv: string };

/** An upstream HTTP agent: where it is (per environment), how to authenticate, how long to wait, when to stop calling. */
export interface UpstreamDef {
  description?: string;
  /** Environment variable holding the agent's URL (https, or http to a loopback host). */
  urlEnv: string;
  auth: UpstreamAuthDef;
  /** Timeout of one call in milliseconds (default 2000); never more than what is left of the turn budget. */
  timeoutMs?: number;
  /** Attempts per turn when a retry is safe (default 2: one retry; 1 turns retries off). */
  maxAttempts?: number;
  circuitBreaker?: {
    /** Consecutive failed calls that open the circuit (default 5). */
    failureThreshold?: number;
    /** Seconds the circuit stays open before one trial call is let through (default 30). */
    openSeconds?: number;
  };
}

export interface NodeDef {
  say?: MessageDef[];
  question?: QuestionDef;
  optionalQuestion?: OptionalQuestionDef;
  branch?: BranchDef;
  set?: Record<string, string>;
  complete?: CompleteDef;
  handover?: HandoverDef;
  upstream?: UpstreamNodeDef;
  /** The node that follows (say, question, optionalQuestion, set; for upstream: where the agent returns control). */
  next?: string;
}

export const NODE_KINDS = ["say", "question", "optionalQuestion", "branch", "set", "complete", "handover", "upstream"] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

export interface IntentDef {
  description?: string;
  /** Slot name → Genesys slot type. */
  slots?: Record<string, SlotType>;
  /** Marks an intent that hands the conversation to a human (routed to a queue by the flow). */
  handover?: boolean;
}

export interface InterruptDef {
  /** Words that trigger the interrupt anywhere in the conversation. */
  words?: LocalizedWords;
  /** A button payload that triggers it (from any turn). */
  payload?: string;
  goto: string;
}

export interface BotDefinition {
  id: string;
  name: string;
  version: string;
  description?: string;
  defaultLanguage: string;
  languages: string[];
  /** Channels the content must work on; the strictest text limit applies (default: webmessaging). */
  channels?: Channel[];
  intents: Record<string, IntentDef>;
  /**
   * The hand-over intent (marked `handover: true`) of every hand-over that names none: handover nodes without
   * intent, questions without onNoMatch after their last miss, upstream agents handing over without an intent.
   * A designed hand-over is an outcome, never `Failed`; the loader rejects a bot that would need it and lacks it.
   */
  defaultHandoverIntent?: string;
  /** IANA time zone in which dates are understood ("today", "next friday"); default UTC. */
  timeZone?: string;
  /** Incoming Architect session variables the bot reads (name → description). */
  parameters?: Record<string, string>;
  start: string;
  interrupts?: InterruptDef[];
  /** Upstream HTTP agents that `upstream` nodes hand the conversation to, by name. */
  upstreams?: Record<string, UpstreamDef>;
  /** Messages used by the engine itself (stale button, budget exceeded, ...), per language. */
  systemMessages?: Partial<Record<SystemMessageKey, LocalizedText>>;
  /** What the customer sees while a reply comes later (Digital Bot Connector only; v1 ignores it). */
  replyLater?: ReplyLaterDef;
  nodes: Record<string, NodeDef>;
}

/**
 * Digital Bot Connector (v2): a turn that outlasts the service's reply window is answered `MoreData` at once and
 * its outcome is sent later through Genesys's outgoing messages API (docs/digital-bot-connector.md).
 */
export interface ReplyLaterDef {
  /** Sent with the `MoreData` answer when a turn outlasts the reply window. Without it, that answer has no message. */
  pleaseWait?: LocalizedText;
  /** Sent every `everySeconds` while the turn is still running, at most `times` times (default 3). */
  progress?: { everySeconds: number; text: LocalizedText; times?: number };
  /** The answer to a message that arrives while the previous one is still being answered (it is not processed). */
  busy?: LocalizedText;
}

export const CHANNELS = ["webmessaging", "whatsapp", "facebook", "instagram", "sms", "apple", "open"] as const;
export type Channel = (typeof CHANNELS)[number];

/** The output parameter every hand-over carries: why the bot handed over (the flow writes it to participant data). */
export const HANDOVER_REASON_PARAMETER = "handoverReason";

export const SYSTEM_MESSAGE_KEYS = ["staleButton", "technicalProblem", "noMatch"] as const;
export type SystemMessageKey = (typeof SYSTEM_MESSAGE_KEYS)[number];
