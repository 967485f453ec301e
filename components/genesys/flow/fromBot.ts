/**
 * From a bot definition (one bot version) and a few deployment choices to the FlowDescription the renderer
 * takes. Pure: the Genesys components and `npm run synth` both use it, so what synth shows is what deploys.
 */
import { type BotDefinition } from "../../../service/src/bots/definition";
import { localizedText } from "../../../service/src/bots/localize";
import { DEFAULT_FOLLOW_UP_TIMEOUT, DEFAULT_PARTICIPANT_DATA_PREFIX, type FlowDescription, type IntentAction } from "./description";

/** What a deployment may choose for one intent's output path. */
export interface IntentActionChoice {
  /** `transfer`: to the queue; `disconnect`: end the conversation. */
  action: "transfer" | "disconnect";
  /** ACD priority for `transfer` (default: the plan's transferPriority). */
  priority?: number;
  /** Sent before the transfer or disconnect. */
  message?: string;
  /** Write intent, slots and output parameters to participant data first (default true). */
  setParticipantData?: boolean;
}

export interface FlowPlan {
  flowName: string;
  integrationName: string;
  queueName: string;
  /** The bot version the flow calls. */
  definition: BotDefinition;
  /** Default `PT12H`. */
  followUpTimeout?: string;
  /** Architect expression for the first turn's text; default `Message.Message.body`. */
  inputText?: string;
  /** ACD priority of transfers (default 0). */
  transferPriority?: number;
  /** The apology on the failure path; default the bot's `technicalProblem` system message in its default language. */
  failureMessage?: string;
  /** Per intent; default: intents marked `handover` transfer, the others disconnect. */
  intentActions?: Record<string, IntentActionChoice>;
  participantDataPrefix?: string;
  callBotConnectorTemplate?: string;
}

export const DEFAULT_FAILURE_MESSAGE = "Sorry, something went wrong on my side. Let me connect you with a colleague.";

/** Output session variables a definition can return with an intent (from its complete and handover nodes). */
export function outputParametersByIntent(def: BotDefinition): Map<string, string[]> {
  const byIntent = new Map<string, Set<string>>();
  for (const node of Object.values(def.nodes)) {
    const end = node.complete ?? node.handover;
    if (!end?.intent || !end.parameters) continue;
    const set = byIntent.get(end.intent) ?? new Set<string>();
    for (const key of Object.keys(end.parameters)) set.add(key);
    byIntent.set(end.intent, set);
  }
  return new Map([...byIntent].map(([intent, set]) => [intent, [...set].sort()]));
}

export function describeFlow(plan: FlowPlan): FlowDescription {
  const def = plan.definition;
  const unknown = Object.keys(plan.intentActions ?? {}).filter((name) => !(name in def.intents));
  if (unknown.length > 0) {
    throw new Error(`intent actions name intents that bot ${def.id} version ${def.version} does not declare: ${unknown.join(", ")} (declared: ${Object.keys(def.intents).join(", ")})`);
  }
  const priority = plan.transferPriority ?? 0;
  const outputs = outputParametersByIntent(def);
  const technical = def.systemMessages?.technicalProblem;
  return {
    flowName: plan.flowName,
    defaultLanguage: def.defaultLanguage.toLowerCase(),
    languages: def.languages.map((l) => l.toLowerCase()),
    integrationName: plan.integrationName,
    bot: { name: def.name, version: def.version },
    ...(plan.inputText ? { inputText: plan.inputText } : {}),
    followUpTimeout: plan.followUpTimeout ?? DEFAULT_FOLLOW_UP_TIMEOUT,
    inputParameters: Object.keys(def.parameters ?? {}),
    queues: { default: plan.queueName },
    intents: Object.entries(def.intents).map(([name, intent]) => {
      const choice = plan.intentActions?.[name] ?? { action: intent.handover ? "transfer" : "disconnect" };
      const setParticipantData = choice.setParticipantData ?? true;
      const action: IntentAction =
        choice.action === "transfer"
          ? { kind: "transferToQueue", queue: "default", priority: choice.priority ?? priority, setParticipantData, ...(choice.message ? { message: choice.message } : {}) }
          : { kind: "respondAndDisconnect", setParticipantData, ...(choice.message ? { message: choice.message } : {}) };
      return {
        name,
        slots: Object.entries(intent.slots ?? {}).map(([slot, type]) => ({ name: slot, type })),
        outputParameters: outputs.get(name) ?? [],
        action,
      };
    }),
    failure: {
      message: plan.failureMessage ?? (technical ? localizedText(technical, def.defaultLanguage, def.defaultLanguage) : DEFAULT_FAILURE_MESSAGE),
      queue: "default",
      priority,
    },
    participantDataPrefix: plan.participantDataPrefix ?? DEFAULT_PARTICIPANT_DATA_PREFIX,
    ...(plan.callBotConnectorTemplate ? { callBotConnectorTemplate: plan.callBotConnectorTemplate } : {}),
  };
}
