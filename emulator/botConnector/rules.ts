/**
 * The rules Genesys applies to a bot's answer, each with where the protocol reference
 * (shared/reference/botconnector-protocol.md) says so. A violated rule makes the emulator take the failure path
 * with errorType ServiceProviderInvalidResponse, as Genesys does with a response it cannot use.
 */
export const RESPONSE_RULES = {
  json: { summary: "the body is a JSON object", source: "§3 (HTTP 200 with a JSON body); §3.5 invalid JSON takes the failure path [S13]" },
  shape: { summary: "fields have the documented types", source: "§3.1, §3.3 (response fields and reply messages) [S2, S5, S13]" },
  botState: { summary: "botState is MoreData, Complete or Failed (any case)", source: "§3.1, §3.2, §6.6 [S5, S7, S8]" },
  completeIntent: { summary: "Complete names an intent registered for the bot version", source: "§3.1, §3.4, §5: a missing or unknown intent takes the failure path [S13, S14]" },
  slots: { summary: "slots are declared for the intent in the bot list", source: "§3.4: slot names must match the registered bot list [S13, S14]" },
  slotValue: { summary: "slot values have the format of their slot type", source: "§3.4 value formats (Architect data types) [S13]" },
  parameters: { summary: "parameters is a flat string→string map", source: "§3.1, §6.3: non-string values make Genesys drop the response [S7]" },
  carouselCards: { summary: "a carousel has at most 10 cards", source: "§3.3, §6.7 [S16]" },
  carouselPayloads: { summary: "button payloads are unique across a carousel", source: "§3.3, §6.7 [S16]" },
  cardButtons: { summary: "text and payload of postback buttons are unique within a card", source: "§3.3 CardAction [S13]" },
  loopGuard: {
    summary: "the same intent with unchanged slots is not returned more than 3 times in a row",
    source: "§6.2: Genesys v1 fails the session (NoMatchError) [S7]",
  },
} as const;

export type ResponseRule = keyof typeof RESPONSE_RULES;

/** One reason a response is rejected. */
export interface ResponseProblem {
  /** A rule of RESPONSE_RULES, or of the Digital Bot Connector's (digital/rules.ts). */
  rule: string;
  /** The field, e.g. `replymessages[1].content[0].carousel.cards`. */
  path: string;
  message: string;
  source: string;
}

export function problem(rule: ResponseRule, path: string, message: string): ResponseProblem {
  return { rule, path, message, source: RESPONSE_RULES[rule].source };
}

/** The failure outputs of the action (v2 names them; the v1 equivalents are UNCONFIRMED, §5). */
export type ErrorType = "ServiceProviderTimeout" | "ServiceProviderErrorResponse" | "ServiceProviderInvalidResponse";
