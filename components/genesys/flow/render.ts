/**
 * Renders the Inbound Message flow (Archy YAML) from a FlowDescription. Pure and deterministic: the same
 * description always gives the same bytes, so `npm run synth` output diffs cleanly in a pull request.
 *
 * The flow has one state. Its actions, the whole vocabulary this renderer emits (an offline emulator
 * implements exactly these):
 *
 * | action               | keys emitted                                                                  | source        |
 * |----------------------|-------------------------------------------------------------------------------|---------------|
 * | `getParticipantData` | `name`, `attributes: [{attribute: {name: {lit}, variable}}]`                  | BP1 blueprint |
 * | `callBotConnector`   | see callBotConnector.ts; `outputs.<intent>.actions`, `outputs.failure.actions` | UNCONFIRMED   |
 * | `setParticipantData` | `name`, `attributes: [{attribute: {name: {lit}, value: {exp}}}]`              | BP1 blueprint |
 * | `sendResponse`       | `name`, `messageBody: {lit}`                                                  | BP1 blueprint |
 * | `switch`             | `name`, `evaluate: {firstTrue: {cases: [{case: {value: {exp}, actions}}], default: {actions}}}` | BP1 blueprint |
 * | `transferToAcd`      | `name`, `targetQueue: {lit: {name}}`, `priority: {lit}`, `preferredAgents` and `languageSkill: {noValue: true}` | BP1 blueprint |
 * | `disconnect`         | `name`                                                                        | BP1 blueprint |
 *
 * Values are `{lit: ...}`, `{var: State.x}` or `{exp: ...}`. The only expression forms are the bot input text
 * (default `Message.Message.body`), `State.<variable>` (session variable inputs), for participant data
 * `If(IsSet(State.<variable>), ToString(State.<variable>), "")` (the intent attribute is a `lit`), and for the
 * flow's own messages `If(IsSet(Message.Language), Message.Language, "") == "<language>"`.
 *
 * Every message the flow itself sends is chosen by the conversation's language: one `sendResponse` when all the
 * flow's languages share the text, else a `switch` with a case per language (its tag, and its primary subtag alone
 * where no other language has it) and the default language's text as the default.
 *
 * Every intent path: optional `setParticipantData` (attribute `<prefix>intent` plus one per slot and output
 * parameter; hand-over intents always have the output parameter `handoverReason`), optional message, then
 * `transferToAcd` or `disconnect`. The failure path (technical failures only: designed hand-overs complete with an
 * intent): optional `setParticipantData` (`<prefix>outcome` = `failure`, `<prefix>handoverReason` = a literal naming
 * a technical failure), the apology in the conversation's language, and `transferToAcd`. After the Call Bot
 * Connector action the state ends with `disconnect`.
 *
 * Names of Genesys objects are `{{placeholders}}` in double-quoted scalars: `{{flow_name}}`,
 * `{{bot_integration_name}}`, `{{bot_name}}`, `{{bot_version}}` and `{{queue_<key>}}` per queue.
 */
import { Document, isScalar, visit } from "yaml";
import { type SlotType } from "../../../service/src/bots/definition";
import { archyDuration, callBotConnectorAction, callBotConnectorFromTemplate, type ArchyNode, type CallBotConnectorSpec } from "./callBotConnector";
import { callDigitalBotConnectorAction, callDigitalBotConnectorFromTemplate, digitalTimeoutProblems } from "./callDigitalBotConnector";
import {
  DEFAULT_FOLLOW_UP_TIMEOUT,
  DEFAULT_INPUT_TEXT,
  CONVERSATION_LANGUAGE_EXPRESSION,
  DEFAULT_PARTICIPANT_DATA_PREFIX,
  HANDOVER_REASON_PARAMETER,
  TECHNICAL_FAILURE_REASON,
  type FlowDescription,
  type FlowMessage,
  type IntentAction,
  type IntentPath,
} from "./description";
import { substitutionProblem } from "./substitution";

export interface RenderedFlow {
  /** Archy YAML with names as `{{placeholders}}`. */
  yaml: string;
  /** Placeholder key → the name the description gives (a component may fill some from resource outputs). */
  substitutions: Record<string, string>;
}

/**
 * Archy variable kinds per Genesys slot type. The scalar kinds follow Archy's `<type>Variable` naming seen in
 * exported flows; the collection kinds follow the same pattern (UNCONFIRMED).
 */
export const VARIABLE_KIND: Record<SlotType, string> = {
  String: "stringVariable",
  Integer: "integerVariable",
  Decimal: "decimalVariable",
  Duration: "durationVariable",
  Boolean: "booleanVariable",
  Currency: "currencyVariable",
  Datetime: "dateTimeVariable",
  StringCollection: "stringCollectionVariable",
  IntegerCollection: "integerCollectionVariable",
  DecimalCollection: "decimalCollectionVariable",
  DurationCollection: "durationCollectionVariable",
  BooleanCollection: "booleanCollectionVariable",
  CurrencyCollection: "currencyCollectionVariable",
  DatetimeCollection: "dateTimeCollectionVariable",
};

export const STATE_NAME = "Virtual agent";
export const STATE_REF = "Virtual agent_1";

export const queuePlaceholder = (key: string) => `queue_${key}`;

/** Every problem with a description, before anything is rendered. */
export function validateFlowDescription(d: FlowDescription): string[] {
  const problems: string[] = [];
  const name = (what: string, value: string) => {
    const problem = substitutionProblem(value);
    if (problem) problems.push(`${what} ${JSON.stringify(value)} ${problem}`);
  };
  name("flowName", d.flowName);
  name("integrationName", d.integrationName);
  name("bot.name", d.bot.name);
  name("bot.version", d.bot.version);
  for (const [key, queue] of Object.entries(d.queues)) {
    if (!/^[a-z0-9_]+$/.test(key)) problems.push(`queue key "${key}" must be lower-case letters, digits or _`);
    name(`queues.${key}`, queue);
  }
  if (d.languages.length === 0) problems.push("languages must list at least one language");
  for (const lang of d.languages) if (lang !== lang.toLowerCase()) problems.push(`language "${lang}" must be lower case (Genesys language tags)`);
  if (!d.languages.includes(d.defaultLanguage)) problems.push(`defaultLanguage "${d.defaultLanguage}" is not one of languages (${d.languages.join(", ")})`);
  try {
    archyDuration(d.followUpTimeout);
  } catch (err) {
    problems.push(`followUpTimeout: ${(err as Error).message}`);
  }
  if (d.digital) problems.push(...digitalTimeoutProblems({ followUpTimeout: d.followUpTimeout, ...d.digital }));
  if (d.intents.length === 0) problems.push("the bot version declares no intents; the flow needs at least one output path");
  const seen = new Set<string>();
  for (const intent of d.intents) {
    if (seen.has(intent.name)) problems.push(`intent "${intent.name}" appears twice`);
    seen.add(intent.name);
    if (intent.name.toLowerCase() === "failure") problems.push(`intent "${intent.name}" collides with the Failure path`);
    checkAction(`intent "${intent.name}"`, intent.action, d, problems);
  }
  if (!d.queues[d.failure.queue]) problems.push(`failure.queue "${d.failure.queue}" is not one of queues (${Object.keys(d.queues).join(", ")})`);
  checkMessage("failure.message", d.failure.message, d.languages, problems);
  checkPriority("failure.priority", d.failure.priority, problems);
  return problems;
}

function checkAction(where: string, action: IntentAction, d: FlowDescription, problems: string[]): void {
  if (action.kind === "transferToQueue") {
    if (!d.queues[action.queue]) problems.push(`${where}: queue "${action.queue}" is not one of queues (${Object.keys(d.queues).join(", ")})`);
    checkPriority(`${where}: priority`, action.priority, problems);
  }
  if (action.message !== undefined) checkMessage(`${where}: message`, action.message, d.languages, problems);
}

/** A flow message needs a text for every language of the flow, and only for those. */
function checkMessage(where: string, message: FlowMessage, languages: readonly string[], problems: string[]): void {
  for (const lang of languages) if (message[lang] === undefined) problems.push(`${where} has no text for language "${lang}" (the flow sends it in the conversation's language)`);
  for (const [lang, text] of Object.entries(message)) {
    if (!languages.includes(lang)) problems.push(`${where} has a text for "${lang}", which is not one of the flow's languages (${languages.join(", ")})`);
    if (text.trim() === "") problems.push(`${where} (${lang}) is empty`);
    if (text.includes("{{")) problems.push(`${where} (${lang}) contains {{, which the Flow resource would treat as a substitution`);
  }
}

function checkPriority(where: string, priority: number, problems: string[]): void {
  if (!Number.isInteger(priority) || priority < 0) problems.push(`${where} must be a whole number ≥ 0, got ${priority}`);
}

/** Variable names Architect accepts, unique within the flow. */
class VariableNames {
  private readonly used = new Set<string>();
  readonly declared: Array<{ kind: string; name: string }> = [];

  declare(prefix: string, parts: string[], kind: string): string {
    const base = `State.${prefix}_${parts.map((p) => p.replace(/[^A-Za-z0-9_]/g, "_")).join("_")}`;
    let name = base;
    for (let n = 2; this.used.has(name); n++) name = `${base}_${n}`;
    this.used.add(name);
    this.declared.push({ kind, name });
    return name;
  }
}

const isSetExpression = (variable: string) => `If(IsSet(${variable}), ToString(${variable}), "")`;

/** The expression true when the conversation is in `tag`. */
export const languageCondition = (tag: string) => `${CONVERSATION_LANGUAGE_EXPRESSION} == ${JSON.stringify(tag)}`;

/**
 * A message in the conversation's language: one Send Response when every language has the same text, else a
 * Switch on the conversation's language (each language's tag, and its primary subtag alone where that is unique,
 * so a conversation in "de" finds "de-de") whose default is the flow's default language.
 */
export function localizedResponse(label: string, message: FlowMessage, defaultLanguage: string, languages: readonly string[]): ArchyNode {
  const send = (lang: string): ArchyNode => ({ sendResponse: { name: `Send Response (${label}, ${lang})`, messageBody: { lit: message[lang] as string } } });
  const texts = new Set(languages.map((lang) => message[lang]));
  if (texts.size === 1) return { sendResponse: { name: `Send Response (${label})`, messageBody: { lit: message[defaultLanguage] as string } } };
  const primary = (lang: string) => lang.split("-")[0] as string;
  const cases = languages
    .filter((lang) => lang !== defaultLanguage)
    .flatMap((lang) => {
      const tags = [lang];
      const bare = primary(lang);
      if (bare !== lang && !languages.includes(bare) && languages.filter((l) => primary(l) === bare).length === 1) tags.push(bare);
      return tags.map((tag) => ({ case: { value: { exp: languageCondition(tag) }, actions: [send(lang)] } }));
    });
  return { switch: { name: `Language of the message (${label})`, evaluate: { firstTrue: { cases, default: { actions: [send(defaultLanguage)] } } } } };
}

export function renderInboundFlow(d: FlowDescription): RenderedFlow {
  const problems = validateFlowDescription(d);
  if (problems.length > 0) throw new Error(`cannot render the inbound message flow:\n${problems.map((p) => "  - " + p).join("\n")}`);
  const prefix = d.participantDataPrefix ?? DEFAULT_PARTICIPANT_DATA_PREFIX;
  const vars = new VariableNames();

  const inputs = Object.fromEntries(d.inputParameters.map((p) => [p, vars.declare("in", [p], "stringVariable")]));
  const outputNames = [...new Set(d.intents.flatMap((i) => i.outputParameters))];
  const outputs = Object.fromEntries(outputNames.map((p) => [p, vars.declare("out", [p], "stringVariable")]));
  const slotBindings: Record<string, Record<string, string>> = {};
  for (const intent of d.intents) {
    slotBindings[intent.name] = Object.fromEntries(intent.slots.map((s) => [s.name, vars.declare("slot", [intent.name, s.name], VARIABLE_KIND[s.type])]));
  }

  const transfer = (label: string, queue: string, priority: number): ArchyNode => ({
    transferToAcd: {
      name: `Transfer to ACD (${label})`,
      targetQueue: { lit: { name: `{{${queuePlaceholder(queue)}}}` } },
      priority: { lit: priority },
      preferredAgents: { noValue: true },
      languageSkill: { noValue: true },
    },
  });
  const respond = (label: string, message: FlowMessage): ArchyNode => localizedResponse(label, message, d.defaultLanguage, d.languages);
  const participantData = (intent: IntentPath): ArchyNode => ({
    setParticipantData: {
      name: `Set Participant Data (${intent.name})`,
      attributes: [
        { attribute: { name: { lit: `${prefix}intent` }, value: { lit: intent.name } } },
        ...intent.slots.map((s) => ({
          attribute: { name: { lit: `${prefix}${s.name}` }, value: { exp: isSetExpression(slotBindings[intent.name]?.[s.name] as string) } },
        })),
        ...intent.outputParameters.map((p) => ({
          attribute: { name: { lit: `${prefix}${p}` }, value: { exp: isSetExpression(outputs[p] as string) } },
        })),
      ],
    },
  });
  const failureData = (): ArchyNode => ({
    setParticipantData: {
      name: "Set Participant Data (failure)",
      attributes: [
        { attribute: { name: { lit: `${prefix}outcome` }, value: { lit: "failure" } } },
        { attribute: { name: { lit: `${prefix}${HANDOVER_REASON_PARAMETER}` }, value: { lit: TECHNICAL_FAILURE_REASON } } },
      ],
    },
  });
  const pathActions = (intent: IntentPath): ArchyNode[] => {
    const actions: ArchyNode[] = [];
    if (intent.action.setParticipantData) actions.push(participantData(intent));
    if (intent.action.message !== undefined) actions.push(respond(intent.name, intent.action.message));
    if (intent.action.kind === "transferToQueue") actions.push(transfer(intent.name, intent.action.queue, intent.action.priority));
    else actions.push({ disconnect: { name: `Disconnect (${intent.name})` } });
    return actions;
  };

  const spec: CallBotConnectorSpec = {
    inputText: d.inputText ?? DEFAULT_INPUT_TEXT,
    followUpTimeout: archyDuration(d.followUpTimeout || DEFAULT_FOLLOW_UP_TIMEOUT),
    inputs,
    outputs,
    slotBindings,
    intentActions: d.intents.map((intent) => [intent.name, pathActions(intent)]),
    failureActions: [
      ...(d.failure.setParticipantData ? [failureData()] : []),
      respond("failure", d.failure.message),
      transfer("failure", d.failure.queue, d.failure.priority),
    ],
  };
  const digital = d.digital;
  const callAction = digital
    ? d.callBotConnectorTemplate
      ? callDigitalBotConnectorFromTemplate(d.callBotConnectorTemplate, spec)
      : callDigitalBotConnectorAction(spec, { botResponseTimeout: archyDuration(digital.botResponseTimeout), sessionTimeout: archyDuration(digital.sessionTimeout) })
    : d.callBotConnectorTemplate
      ? callBotConnectorFromTemplate(d.callBotConnectorTemplate, spec)
      : callBotConnectorAction(spec);

  const actions: ArchyNode[] = [];
  if (d.inputParameters.length > 0) {
    actions.push({
      getParticipantData: {
        name: "Get Participant Data (bot inputs)",
        attributes: d.inputParameters.map((p) => ({ attribute: { name: { lit: p }, variable: inputs[p] } })),
      },
    });
  }
  actions.push(callAction, { disconnect: { name: "Disconnect" } });

  const flow = {
    inboundShortMessage: {
      name: "{{flow_name}}",
      description: d.description ?? `Web messaging through the ${digital ? "Digital Bot Connector" : "Bot Connector"} to the virtual agent; failures go to an agent`,
      startUpRef: `/inboundShortMessage/states/state[${STATE_REF}]`,
      defaultLanguage: d.defaultLanguage,
      supportedLanguages: Object.fromEntries(d.languages.map((lang) => [lang, { defaultLanguageSkill: { noValue: true } }])),
      settingsErrorHandling: { errorHandling: { disconnect: { none: true } } },
      states: [
        {
          state: {
            name: STATE_NAME,
            refId: STATE_REF,
            variables: vars.declared.map((v) => ({ [v.kind]: { name: v.name, initialValue: { noValue: true } } })),
            actions,
          },
        },
      ],
    },
  };

  const doc = new Document(flow);
  doc.commentBefore = " Generated by components/genesys/flow/render.ts; names are filled by the Flow resource's substitutions.";
  visit(doc, {
    Scalar(_key, node) {
      if (isScalar(node) && typeof node.value === "string" && node.value.includes("{{")) node.type = "QUOTE_DOUBLE";
    },
  });
  const substitutions: Record<string, string> = {
    flow_name: d.flowName,
    bot_integration_name: d.integrationName,
    bot_name: d.bot.name,
    bot_version: d.bot.version,
    ...Object.fromEntries(Object.entries(d.queues).map(([key, queue]) => [queuePlaceholder(key), queue])),
  };
  return { yaml: doc.toString({ lineWidth: 0, indent: 2 }), substitutions };
}
