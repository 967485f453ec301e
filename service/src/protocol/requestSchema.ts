/**
 * JSON Schema of the Handle Utterance request body, lenient where Genesys is: unknown extra fields
 * pass, the bot's name may arrive in `botId`, text may be empty on the first turn, optional fields
 * get the defaults Genesys is observed to send. Enum case is normalised before validation.
 */
export const DEFAULT_SESSION_TIMEOUT_MINUTES = 4320;

const nonEmpty = { type: "string", minLength: 1, maxLength: 256 } as const;

export const turnRequestSchema = {
  type: "object",
  required: ["botId", "botVersion", "botSessionId", "inputMessage"],
  properties: {
    botId: nonEmpty,
    botVersion: { type: "string", minLength: 1, maxLength: 100 },
    botSessionId: { type: "string", minLength: 1, maxLength: 256, pattern: "^[\\x21-\\x7e]+$" },
    genesysConversationId: { type: "string", maxLength: 256 },
    languageCode: { type: "string", maxLength: 35, pattern: "^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$" },
    botSessionTimeout: { type: "integer", minimum: 1, maximum: 525600, default: DEFAULT_SESSION_TIMEOUT_MINUTES },
    chatBot: {
      type: "object",
      properties: { id: { type: "string", maxLength: 256 }, name: { type: "string", maxLength: 256 } },
    },
    parameters: {
      type: "object",
      maxProperties: 200,
      additionalProperties: { type: "string", maxLength: 32000 },
    },
    inputMessage: {
      type: "object",
      required: ["type"],
      properties: {
        type: { enum: ["Text", "Structured"] },
        text: { type: "string", maxLength: 32000, default: "" },
        content: {
          type: "array",
          maxItems: 50,
          items: {
            type: "object",
            required: ["contentType"],
            properties: {
              contentType: { type: "string", maxLength: 64 },
              buttonResponse: {
                type: "object",
                properties: {
                  type: { type: "string", maxLength: 64 },
                  text: { type: "string", maxLength: 4000 },
                  payload: { type: "string", maxLength: 4000 },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;

/** What the schema guarantees once validation passed (with its defaults applied). */
export interface ValidTurnBody {
  botId: string;
  botVersion: string;
  botSessionId: string;
  genesysConversationId?: string;
  languageCode?: string;
  botSessionTimeout: number;
  chatBot?: { id?: string; name?: string };
  parameters?: Record<string, string>;
  inputMessage: {
    type: "Text" | "Structured";
    text: string;
    content?: Array<{ contentType: string; buttonResponse?: { type?: string; text?: string; payload?: string } }>;
  };
}

const INPUT_TYPES: Record<string, "Text" | "Structured"> = { text: "Text", structured: "Structured" };

/**
 * Genesys tolerates enum values in any case (`TEXT`, `structured`); so do we. Runs before schema
 * validation and only touches values it recognises.
 */
export function normalizeEnumCase(body: unknown): void {
  if (typeof body !== "object" || body === null) return;
  const input = (body as { inputMessage?: unknown }).inputMessage;
  if (typeof input !== "object" || input === null) return;
  const msg = input as { type?: unknown; content?: unknown };
  if (typeof msg.type === "string") msg.type = INPUT_TYPES[msg.type.toLowerCase()] ?? msg.type;
  if (Array.isArray(msg.content)) {
    for (const item of msg.content) {
      if (typeof item === "object" && item !== null && typeof (item as { contentType?: unknown }).contentType === "string") {
        const c = item as { contentType: string };
        if (c.contentType.toLowerCase() === "buttonresponse") c.contentType = "ButtonResponse";
      }
    }
  }
}
