/**
 * The engine's answer (v1 shapes, protocol/types.ts) in the Digital Bot Connector's shapes: `replyMessages`,
 * typed `entities` instead of `slotValues`, and, for the outgoing messages API, the fields that name the session.
 * Generic over the engine's outcome: whatever the engine answers (an intent, a hand-over intent, Failed) reaches v2
 * unchanged in meaning.
 */
import { type BotDefinition } from "../../bots/definition";
import { type BotResponse, type ReplyMessage } from "../types";
import { toEntities } from "./entities";
import { type DigitalReplyMessage, type IncomingMessageResponse, type OutgoingMessageRequest } from "./types";

/** v1 and v2 reply messages share every content type the engine produces. */
function replyMessages(messages: readonly ReplyMessage[]): DigitalReplyMessage[] {
  return messages as DigitalReplyMessage[];
}

/** The answer to `POST /messages` for an engine response; entities are typed by the intent's declared slots. */
export function toDigitalResponse(response: BotResponse, definition: BotDefinition | undefined): IncomingMessageResponse {
  const declared = response.intent !== undefined && definition ? (definition.intents[response.intent]?.slots ?? {}) : {};
  const entities = toEntities(response.slotValues, declared);
  return {
    botState: response.botState,
    replyMessages: replyMessages(response.replymessages),
    ...(response.intent !== undefined ? { intent: response.intent } : {}),
    ...(response.confidence !== undefined ? { confidence: response.confidence } : {}),
    ...(entities.length > 0 ? { entities } : {}),
    ...(response.parameters ? { parameters: response.parameters } : {}),
    ...(response.errorInfo ? { errorInfo: response.errorInfo } : {}),
  };
}

/** What names the bot session in an outgoing message: echoed exactly as Genesys sent them (409 on a mismatch). */
export interface SessionAddress {
  botId: string;
  botVersion: string;
  botSessionId: string;
  languageCode: string;
}

/** The body of one outgoing message: an answer (as `POST /messages` would have given it) for a session. */
export function toOutgoingMessage(address: SessionAddress, answer: IncomingMessageResponse): OutgoingMessageRequest {
  const { errorInfo, replyMessages: messages, ...rest } = answer;
  return {
    ...address,
    ...rest,
    ...(messages.length > 0 ? { replyMessages: messages } : {}),
    ...(errorInfo ? { errorInfo: { code: errorInfo.errorCode, message: errorInfo.errorMessage } } : {}),
  };
}
