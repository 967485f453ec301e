/**
 * JSON Schema of the Digital Bot Connector's `POST /messages` body. The v2 specification is explicit, so the
 * fields it requires are required here, with two exceptions that only cost correlation: `languageCode` (the bot's
 * default language stands in) and `genesysConversationId`. The customer's input and the session variables share
 * v1's rules and bounds (protocol/requestSchema.ts), so a limit changed there holds for both protocols.
 * Compiled ahead of time by `npm run generate` (service/src/generated/digitalMessageRequestValidator.ts).
 */
import { turnRequestSchema } from "../requestSchema";

const v1 = turnRequestSchema.properties;

export const digitalMessageRequestSchema = {
  type: "object",
  required: ["botId", "botVersion", "botSessionId", "messageId", "botSessionTimeout", "inputMessage"],
  properties: {
    // The manifest's id and version: at most 100 characters (the manifest's own limit).
    botId: { type: "string", minLength: 1, maxLength: 100 },
    botVersion: v1.botVersion,
    botSessionId: v1.botSessionId,
    messageId: { type: "string", minLength: 1, maxLength: 256, pattern: "^[\\x21-\\x7e]+$" },
    genesysConversationId: v1.genesysConversationId,
    languageCode: v1.languageCode,
    // Architect's Session Timeout is at most three days; a day's margin on top.
    botSessionTimeout: { type: "integer", minimum: 1, maximum: 5760 },
    parameters: v1.parameters,
    inputMessage: v1.inputMessage,
  },
} as const;

/** What the schema guarantees once validation passed (with its defaults applied). */
export interface ValidDigitalMessageBody {
  botId: string;
  botVersion: string;
  botSessionId: string;
  messageId: string;
  genesysConversationId?: string;
  languageCode?: string;
  botSessionTimeout: number;
  parameters?: Record<string, string>;
  inputMessage: {
    type: "Text" | "Structured";
    text: string;
    content?: Array<{ contentType: string; buttonResponse?: { type?: string; text?: string; payload?: string } }>;
  };
}
