/**
 * What an agent should know when the bot hands over: built from a turn's answer when it hands the customer to a
 * human (a hand-over intent, or `Failed`, which Architect's failure path routes to a queue). Pure.
 */
import { type BotDefinition } from "../bots/definition";
import { type SessionState, type VarValue } from "../engine/state";
import { type TranscriptEntry } from "../engine/transcript";
import { type BotResponse, type SlotValue, type TurnRequest } from "../protocol/types";

export interface HandoverContext {
  genesysConversationId: string;
  botSessionId: string;
  /** Undefined when the turn named no loaded bot. */
  bot: { id: string; version: string } | undefined;
  /** `handover`: Complete with a hand-over intent; `failed`: the turn ended Failed. */
  outcome: "handover" | "failed";
  intent?: string;
  reason: string;
  /** `errorInfo.errorCode` of a Failed turn. */
  errorCode?: string;
  slots: Record<string, SlotValue>;
  /** The conversation's variables (answers collected so far). */
  variables: Record<string, VarValue>;
  transcript: TranscriptEntry[];
  at: Date;
}

/** The hand-over context of a turn's answer, or undefined when the answer does not hand over. */
export function handoverContextOf(
  response: BotResponse,
  request: TurnRequest,
  definition: BotDefinition | undefined,
  state: SessionState | undefined,
  at: Date,
): HandoverContext | undefined {
  const handoverIntent = response.botState === "Complete" && response.intent !== undefined && definition?.intents[response.intent]?.handover === true;
  if (response.botState !== "Failed" && !handoverIntent) return undefined;
  const reason = response.parameters?.handoverReason ?? response.errorInfo?.errorMessage ?? (handoverIntent ? `intent ${response.intent}` : "the bot failed");
  return {
    genesysConversationId: request.genesysConversationId,
    botSessionId: request.botSessionId,
    bot: definition ? { id: definition.id, version: definition.version } : undefined,
    outcome: handoverIntent ? "handover" : "failed",
    ...(handoverIntent ? { intent: response.intent } : {}),
    reason,
    ...(response.errorInfo ? { errorCode: response.errorInfo.errorCode } : {}),
    slots: { ...response.slotValues },
    variables: { ...state?.vars },
    transcript: [...(state?.transcript ?? [])],
    at,
  };
}
