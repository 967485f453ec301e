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
