/**
 * The rules Genesys applies to a bot's answer, each with the section of docs/genesys-bot-connector.md that says
 * so and its sources there. A violated rule makes the emulator take the failure path
 * with errorType ServiceProviderInvalidResponse, as Genesys does with a response it cannot use.
 */
export const RESPONSE_RULES = {
  json: { summary: "the body is a JSON object", source: "genesys-bot-connector.md#fields: a 200 with a JSON object; an invalid answer takes the failure path [10]" },
  shape: { summary: "fields have the documented types", source: "genesys-bot-connector.md#reply-messages-and-rich-content: the answer's fields and messages [1, 3, 10]" },
  botState: { summary: "botState is MoreData, Complete or Failed (any case)", source: "genesys-bot-connector.md#what-botstate-does: MoreData, Complete or Failed, in any case [3, 5, 6]" },
  completeIntent: { summary: "Complete names an intent registered for the bot version", source: "genesys-bot-connector.md#intents-and-slots: a missing or unknown intent takes the failure path [10, 11]" },
  slots: { summary: "slots are declared for the intent in the bot list", source: "genesys-bot-connector.md#intents-and-slots: slot names are those of the registered bot list [10, 11]" },
  slotValue: { summary: "slot values have the format of their slot type", source: "genesys-bot-connector.md#intents-and-slots: value formats are Architect's data types [10]" },
  parameters: { summary: "parameters is a flat string→string map", source: "genesys-bot-connector.md#gotchas: parameters are strings only; other values make Genesys drop the answer [5]" },
  carouselCards: { summary: "a carousel has at most 10 cards", source: "genesys-bot-connector.md#reply-messages-and-rich-content: at most 10 cards [13]" },
  carouselPayloads: { summary: "button payloads are unique across a carousel", source: "genesys-bot-connector.md#reply-messages-and-rich-content: payloads unique across a carousel [13]" },
  cardButtons: { summary: "text and payload of postback buttons are unique within a card", source: "genesys-bot-connector.md#reply-messages-and-rich-content: text and payload unique within a card [10]" },
  loopGuard: {
    summary: "the same intent with unchanged slots is not returned more than 3 times in a row",
    source: "genesys-bot-connector.md#gotchas: Genesys v1 fails the session (NoMatchError) [5]",
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

/** The failure outputs of the action (v2 names them; the v1 equivalents are unconfirmed: genesys-bot-connector.md#the-call-bot-connector-action). */
export type ErrorType = "ServiceProviderTimeout" | "ServiceProviderErrorResponse" | "ServiceProviderInvalidResponse";
