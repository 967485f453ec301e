/**
 * From a bot definition (one bot version) and a few deployment choices to the FlowDescription the renderer
 * takes. Pure: the Genesys components and `npm run synth` both use it, so what synth shows is what deploys.
 */
import { type BotDefinition, type LocalizedText } from "../../../service/src/bots/definition";
import { localizedText } from "../../../service/src/bots/localize";
import { type GenesysProtocol } from "../botConnectorConfig";
import {
  DEFAULT_BOT_RESPONSE_TIMEOUT,
  DEFAULT_FOLLOW_UP_TIMEOUT,
  DEFAULT_PARTICIPANT_DATA_PREFIX,
  DEFAULT_SESSION_TIMEOUT,
  HANDOVER_REASON_PARAMETER,
  type FlowDescription,
  type FlowMessage,
  type IntentAction,
} from "./description";

/** What a deployment may choose for one intent's output path. */
export interface IntentActionChoice {
  /** `transfer`: to the queue; `disconnect`: end the conversation. */
  action: "transfer" | "disconnect";
  /** ACD priority for `transfer` (default: the plan's transferPriority). */
  priority?: number;
  /** Sent before the transfer or disconnect: one text per bot language (a single text only for a one-language bot). */
  message?: LocalizedText;
  /** Write intent, slots and output parameters to participant data first (default true). */
  setParticipantData?: boolean;
}

/** What a deployment may choose for the failure path. */
export interface FailurePathChoice {
  /**
   * Write `<prefix>outcome` = `failure` and `<prefix>handoverReason` naming a technical failure to participant data
   * before the transfer (default true), so the agent sees why the customer arrives. The service's own hand-over
   * context (HANDOVER_CONTEXT=participant-data) adds the error code and a transcript when it could answer.
   */
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
  /**
   * The apology on the failure path, per bot language (a single text only for a one-language bot); default the bot's
   * `technicalProblem` system message, which the flow sends in the conversation's language.
   */
  failureMessage?: LocalizedText;
  /** Per intent; default: intents marked `handover` transfer, the others disconnect. */
  intentActions?: Record<string, IntentActionChoice>;
  participantDataPrefix?: string;
  callBotConnectorTemplate?: string;
  failurePath?: FailurePathChoice;
  /** `v2`: Call Digital Bot Connector (default `v1`, Call Bot Connector). */
  protocol?: GenesysProtocol;
  /** v2: the Bot Response Timeout, ISO 8601 (default PT30S). */
  botResponseTimeout?: string;
  /** v2: the Session Timeout, ISO 8601 (default PT12H). */
  sessionTimeout?: string;
}

export const DEFAULT_FAILURE_MESSAGE = "Sorry, something went wrong on my side. Let me connect you with a colleague.";

/**
 * A text of the plan or the bot as a flow message: one text per language of the bot. A single string serves a
 * one-language bot only: for more, it would show one language's words to every customer.
 */
export function flowMessage(what: string, text: LocalizedText, def: BotDefinition): FlowMessage {
  const languages = def.languages.map((l) => l.toLowerCase());
  if (typeof text === "string") {
    if (languages.length > 1) {
      throw new Error(`${what} is one text, but bot ${def.id} ${def.version} speaks ${languages.join(", ")}: give one text per language, e.g. { "${languages[0]}": "…", "${languages[1]}": "…" }`);
    }
    return { [languages[0] as string]: text };
  }
  const lower = Object.fromEntries(Object.entries(text).map(([lang, t]) => [lang.toLowerCase(), t]));
  const missing = languages.filter((l) => lower[l] === undefined);
  if (missing.length > 0) throw new Error(`${what} has no text for ${missing.join(", ")} (bot ${def.id} ${def.version} speaks ${languages.join(", ")})`);
  return Object.fromEntries(languages.map((l) => [l, lower[l] as string]));
}

/**
 * Output session variables a definition can return with each intent: the `parameters` of its complete and
 * handover nodes, those its upstream agents may return (each agent node's `parameters`, for the intents it may
 * end with), and `handoverReason` for every hand-over intent (the service sends it with every hand-over), so the
 * hand-over paths carry the reason to participant data by default.
 */
export function outputParametersByIntent(def: BotDefinition): Map<string, string[]> {
  const byIntent = new Map<string, Set<string>>();
  const add = (intent: string, names: Iterable<string>) => {
    const set = byIntent.get(intent) ?? new Set<string>();
    for (const name of names) set.add(name);
    byIntent.set(intent, set);
  };
  for (const node of Object.values(def.nodes)) {
    const end = node.complete ?? node.handover;
    if (end?.intent && end.parameters) add(end.intent, Object.keys(end.parameters));
    const agent = node.upstream;
    if (agent?.parameters?.length) for (const intent of agent.intents ?? Object.keys(def.intents)) add(intent, agent.parameters);
  }
  for (const [name, intent] of Object.entries(def.intents)) if (intent.handover) add(name, [HANDOVER_REASON_PARAMETER]);
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
          ? { kind: "transferToQueue", queue: "default", priority: choice.priority ?? priority, setParticipantData, ...(choice.message ? { message: flowMessage(`intent ${name}: message`, choice.message, def) } : {}) }
          : { kind: "respondAndDisconnect", setParticipantData, ...(choice.message ? { message: flowMessage(`intent ${name}: message`, choice.message, def) } : {}) };
      return {
        name,
        slots: Object.entries(intent.slots ?? {}).map(([slot, type]) => ({ name: slot, type })),
        outputParameters: outputs.get(name) ?? [],
        action,
      };
    }),
    failure: {
      message: plan.failureMessage
        ? flowMessage("failureMessage", plan.failureMessage, def)
        : Object.fromEntries(def.languages.map((l) => [l.toLowerCase(), technical ? localizedText(technical, l, def.defaultLanguage) : DEFAULT_FAILURE_MESSAGE])),
      queue: "default",
      priority,
      setParticipantData: plan.failurePath?.setParticipantData ?? true,
    },
    participantDataPrefix: plan.participantDataPrefix ?? DEFAULT_PARTICIPANT_DATA_PREFIX,
    ...(plan.callBotConnectorTemplate ? { callBotConnectorTemplate: plan.callBotConnectorTemplate } : {}),
    ...(plan.protocol === "v2"
      ? { digital: { botResponseTimeout: plan.botResponseTimeout ?? DEFAULT_BOT_RESPONSE_TIMEOUT, sessionTimeout: plan.sessionTimeout ?? DEFAULT_SESSION_TIMEOUT } }
      : {}),
  };
}
