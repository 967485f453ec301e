/**
 * The Bot Connector (v1) wire format as Genesys sends and expects it
 * (see docs/genesys-bot-connector.md, "The request" and "The answer").
 */

/** The Handle Utterance route: the path the Bot Connector integration's URI ends with. */
export const TURN_ROUTE = "/botconnector/messages";

export const BOT_STATES = ["MoreData", "Complete", "Failed"] as const;
export type BotState = (typeof BOT_STATES)[number];

export interface CardAction {
  type: "Link" | "Postback";
  text: string;
  url?: string;
  payload?: string;
}

export interface Card {
  title: string;
  description?: string;
  image?: string;
  defaultAction?: CardAction;
  actions: CardAction[];
}

export type ReplyContent =
  | { contentType: "QuickReply"; quickReply: { text: string; payload: string; image?: string; action: "Message" } }
  | { contentType: "Card"; card: Card }
  | { contentType: "Carousel"; carousel: { cards: Card[] } };

export type QuickReplyContent = Extract<ReplyContent, { contentType: "QuickReply" }>;

export interface ReplyMessage {
  type: "Text" | "Structured";
  text?: string;
  content?: ReplyContent[];
}

/** A slot value in the format of its Genesys slot type. */
export type SlotValue = string | number | boolean | { amount: string; code: string } | SlotValue[];

/** The response body; `replymessages` is all lower-case in v1. */
export interface BotResponse {
  botState: BotState;
  replymessages: ReplyMessage[];
  intent?: string;
  confidence?: number;
  slotValues?: Record<string, SlotValue>;
  parameters?: Record<string, string>;
  errorInfo?: { errorCode: string; errorMessage: string };
}

/** One customer turn, as the engine sees it after the request was validated and normalised. */
export interface TurnRequest {
  botSessionId: string;
  genesysConversationId: string;
  /** `chatBot.id` when Genesys sent it (the registered id). */
  chatBotId: string | undefined;
  /** `botId` as sent: in real traffic the bot's registered *name*. */
  botId: string;
  botVersion: string;
  languageCode: string | undefined;
  sessionTimeoutMinutes: number;
  input: TurnInput;
  parameters: Record<string, string>;
  correlationId: string | undefined;
}

export interface TurnInput {
  /** `button` when the customer clicked a quick reply or card button. */
  kind: "text" | "button";
  text: string;
  /** The button's payload as Genesys returned it (possibly tagged by the engine). */
  payload?: string;
}
