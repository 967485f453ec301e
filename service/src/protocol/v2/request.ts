import { toTurnRequest } from "../request";
import { type TurnRequest } from "../types";
import { type ValidDigitalMessageBody } from "./requestSchema";

/**
 * The turn id of a v2 message: Genesys's `messageId`, the same on every retry of one message. The turn layer
 * stores it with the session and its answer (turn.ts), so a retried message gets the answer it already got
 * instead of a second step; this is the one place that says which v2 field is that key.
 */
export function turnKeyOf(body: ValidDigitalMessageBody): string {
  return body.messageId;
}

/**
 * The engine's view of a validated v2 body. v2 names the bot by its manifest id, so `botId` is also the id the
 * registry looks up first; the input message has v1's shape and meaning (a ButtonResponse's payload is the choice).
 * `correlationId` is the `inin-correlation-id` header, for logs.
 */
export function toDigitalTurnRequest(body: ValidDigitalMessageBody, correlationId: string | undefined): TurnRequest {
  return toTurnRequest({ ...body, chatBot: { id: body.botId } }, correlationId);
}
