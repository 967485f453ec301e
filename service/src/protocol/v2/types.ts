/**
 * The Genesys Digital Bot Connector (v2) wire format, as its customer API specification and the Platform API's
 * models (`OutgoingMessageRequest`, `BotEntityValue`, `Bot`, `ReplyMessage`) define it. docs/digital-bot-connector.md
 * explains every field and its source. The engine speaks v1's shapes (protocol/types.ts); protocol/v2/response.ts
 * translates.
 */
import { type SlotType } from "../../bots/definition";
import { type BotState, type Card } from "../types";

/** The base of every v2 route: the integration's "Bot Connector URI" is the service URL plus this. */
export const DIGITAL_BASE_PATH = "/digitalbotconnector";

export const DIGITAL_ROUTES = {
  bots: `${DIGITAL_BASE_PATH}/bots`,
  bot: `${DIGITAL_BASE_PATH}/bots/:botId`,
  messages: `${DIGITAL_BASE_PATH}/messages`,
} as const;

/**
 * What Genesys calls, as method and path (`{name}` for one path segment): the load balancer forwards exactly
 * these, and nothing else of the service is reachable from outside.
 */
export const DIGITAL_ENDPOINTS: ReadonlyArray<{ method: "GET" | "POST"; path: string }> = [
  { method: "GET", path: DIGITAL_ROUTES.bots },
  { method: "GET", path: `${DIGITAL_ROUTES.bots}/{botId}` },
  { method: "POST", path: DIGITAL_ROUTES.messages },
];

/** The Platform API call that delivers replies that come later (preview API, permission integration:botconnector:send). */
export const OUTGOING_MESSAGES_PATH = "/api/v2/integrations/botconnectors/outgoing/messages";
export const OUTGOING_MESSAGES_PERMISSION = "integration:botconnector:send";

// ---- The bot manifest: GET /bots and GET /bots/{botId} ----

export interface DigitalBotEntity {
  name: string;
  type: SlotType;
}

export interface DigitalBotIntent {
  name: string;
  entities?: DigitalBotEntity[];
}

export interface DigitalBotVersion {
  version: string;
  supportedLanguages: string[];
  intents: DigitalBotIntent[];
}

export interface DigitalBot {
  id: string;
  name: string;
  /** For Genesys's analytics; required by the spec. */
  provider: string;
  description: string;
  versions: DigitalBotVersion[];
}

/** `GET /bots` answers `{entities: [...]}`; `GET /bots/{botId}` one bot, not wrapped. */
export interface DigitalBotManifest {
  entities: DigitalBot[];
}

// ---- POST /messages ----

export interface ButtonResponseContent {
  contentType: "ButtonResponse";
  buttonResponse: { type: "QuickReply" | "Button"; text: string; payload: string };
}

export type DigitalInputMessage = { type: "Text"; text: string } | { type: "Structured"; text?: string; content: ButtonResponseContent[] };

/** The body Genesys posts for each customer message (IncomingMessagesRequest). */
export interface IncomingMessageRequest {
  botId: string;
  botVersion: string;
  botSessionId: string;
  /** Genesys's id of this message: a retry carries the same one. */
  messageId: string;
  languageCode: string;
  /** Minutes; outgoing messages are refused once the session is this old. */
  botSessionTimeout: number;
  genesysConversationId: string;
  parameters?: Record<string, string>;
  inputMessage: DigitalInputMessage;
}

export interface Attachment {
  id: string;
  mediaType: "Image" | "Video" | "Audio" | "File" | "Link";
  url: string;
  filename: string;
  mime?: string;
  sha256?: string;
  contentSizeBytes?: number;
}

export type DigitalReplyContent =
  | { contentType: "QuickReply"; quickReply: { text: string; payload: string; image?: string; action?: "Message" } }
  | { contentType: "Card"; card: Card }
  | { contentType: "Carousel"; carousel: { cards: Card[] } }
  | { contentType: "Attachment"; attachment: Attachment };

/** A message to the customer; an attachment travels in a `Text` message, with `text` as its caption. */
export interface DigitalReplyMessage {
  type: "Text" | "Structured";
  text?: string;
  content?: DigitalReplyContent[];
}

/** A slot value: every value is a string in its type's format; collections use `values`. */
export interface BotEntityValue {
  name: string;
  type: SlotType;
  value?: string;
  values?: string[];
}

/** The answer to `POST /messages` (IncomingMessagesResponse). */
export interface IncomingMessageResponse {
  botState: BotState;
  replyMessages: DigitalReplyMessage[];
  intent?: string;
  confidence?: number;
  entities?: BotEntityValue[];
  parameters?: Record<string, string>;
  errorInfo?: { errorCode: string; errorMessage: string };
}

/**
 * The body of `POST /api/v2/integrations/botconnectors/outgoing/messages` (OutgoingMessageRequest): the answer's
 * fields plus what names the session. The Platform API model names errorInfo's keys `code` and `message`, the
 * customer spec `errorCode` and `errorMessage` (docs/digital-bot-connector.md, "Unconfirmed"); the model's are sent.
 */
export interface OutgoingMessageRequest {
  botId: string;
  botVersion: string;
  botSessionId: string;
  languageCode: string;
  botState: BotState;
  replyMessages?: DigitalReplyMessage[];
  intent?: string;
  confidence?: number;
  entities?: BotEntityValue[];
  parameters?: Record<string, string>;
  errorInfo?: { code: string; message: string };
}

/** The 409 codes the outgoing messages API documents, and what each means for the session. */
export const OUTGOING_CONFLICTS = {
  "integration.not.active": "the integration is deactivated",
  "session.already.closed": "the session has already ended",
  "session.not.found": "the session is unknown or has expired",
  "session.bot.id.mismatch": "botId differs from the session's",
  "session.bot.version.mismatch": "botVersion differs from the session's",
} as const;
export type OutgoingConflict = keyof typeof OUTGOING_CONFLICTS;
