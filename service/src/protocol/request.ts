import { createHash, randomUUID } from "node:crypto";
import { type ValidTurnBody } from "./requestSchema";
import { type TurnInput, type TurnRequest } from "./types";

function inputOf(message: ValidTurnBody["inputMessage"]): TurnInput {
  if (message.type === "Structured") {
    const button = message.content?.find((c) => c.contentType === "ButtonResponse" && c.buttonResponse)?.buttonResponse;
    if (button) {
      const text = button.text ?? message.text;
      // Genesys's own guidance: the payload is the choice, the text its fallback.
      const payload = button.payload || button.text;
      return payload ? { kind: "button", text, payload } : { kind: "text", text };
    }
  }
  return { kind: "text", text: message.text };
}

/** The engine's view of a validated request body. */
export function toTurnRequest(body: ValidTurnBody, correlationId: string | undefined): TurnRequest {
  return {
    botSessionId: body.botSessionId,
    genesysConversationId: body.genesysConversationId ?? "",
    chatBotId: body.chatBot?.id || undefined,
    botId: body.botId,
    botVersion: body.botVersion,
    languageCode: body.languageCode?.toLowerCase().replace(/_/g, "-"),
    sessionTimeoutMinutes: body.botSessionTimeout,
    input: inputOf(body.inputMessage),
    parameters: body.parameters ?? {},
    correlationId,
  };
}

/**
 * The turn id of a v1 request (the turn layer stores it with the session's answer; a v2 adapter passes its
 * `messageId`). With an `inin-correlation-id`, the same request sent again (same correlation id and the same
 * input) has the same id, so it gets the answer already given; without one, the id is new for every request and
 * only recognises the turn's own write after a lost answer.
 */
export function v1TurnId(request: TurnRequest): string {
  if (!request.correlationId) return randomUUID();
  const parts = [request.correlationId, request.input.kind, request.input.text, request.input.payload ?? ""];
  return createHash("sha256").update(JSON.stringify(parts)).digest("base64url").slice(0, 32);
}
