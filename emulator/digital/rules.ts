/**
 * What Genesys's Digital Bot Connector checks, each rule with where docs/digital-bot-connector.md states it (and
 * there, the public source). A violated rule in an answer makes the emulator take the failure path with errorType
 * ServiceProviderInvalidResponse, in an outgoing message answer 400; a violated rule in the manifest stops the flow
 * from loading, as Architect would refuse to publish it.
 */
import { type ResponseProblem } from "../botConnector/rules";

const DOC = "docs/digital-bot-connector.md";

export const DIGITAL_RULES = {
  json: { summary: "the body is a JSON object", source: `${DOC} §Answering a message` },
  shape: { summary: "fields have the documented types and required fields are present", source: `${DOC} §Answering a message, §Reply messages` },
  botState: { summary: "botState is MoreData, Complete or Failed", source: `${DOC} §Answering a message` },
  completeIntent: { summary: "Complete names one intent of the bot version", source: `${DOC} §Answering a message: a Complete without a known intent takes the failure path` },
  entities: { summary: "entities are declared for the intent in the manifest", source: `${DOC} §Entities` },
  entityValue: { summary: "every entity value is a string in its type's format; collections use values", source: `${DOC} §Entities` },
  parameters: { summary: "parameters is a flat string→string map", source: `${DOC} §Answering a message` },
  attachmentMessage: { summary: "an attachment travels in a Text message (its text is the caption)", source: `${DOC} §Reply messages` },
  attachmentsDisabled: { summary: "attachments only when the integration allows them", source: `${DOC} §Reply messages (ServiceProviderInvalidResponse)` },
  manifest: { summary: "the manifest has every required field within Genesys's limits", source: `${DOC} §The bot manifest` },
  session: { summary: "an outgoing message names an open session with its botId and botVersion", source: `${DOC} §Replies that come later (409 codes)` },
} as const;

export type DigitalRule = keyof typeof DIGITAL_RULES;

export function digitalProblem(rule: DigitalRule, path: string, message: string): ResponseProblem {
  return { rule, path, message, source: DIGITAL_RULES[rule].source };
}
