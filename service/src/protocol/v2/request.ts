import { toTurnRequest } from "../request";
import { type TurnRequest } from "../types";
import { type ValidDigitalMessageBody } from "./requestSchema";

/**
 * The per-turn idempotency key of a v2 message: Genesys's `messageId`, the same on every retry of one message.
 * The engine stores the key of the last turn with the session and answers a repeated key with the stored answer
 * instead of a second step (today through `TurnRequest.correlationId`, the field v1 fills from
 * `inin-correlation-id`); this is the one place that says which v2 field is that key.
 */
export function turnKeyOf(body: ValidDigitalMessageBody): string {
  return body.messageId;
}

/**
 * The engine's view of a validated v2 body. v2 names the bot by its manifest id, so `botId` is also the id the
 * registry looks up first; the input message has v1's shape and meaning (a ButtonResponse's payload is the choice).
 */
export function toDigitalTurnRequest(body: ValidDigitalMessageBody): TurnRequest {
  return toTurnRequest({ ...body, chatBot: { id: body.botId } }, turnKeyOf(body));
}
