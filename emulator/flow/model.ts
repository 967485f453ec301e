/**
 * The inbound message flow as the emulator runs it: the Archy YAML the renderer emits, parsed and checked once
 * at load time. Each action keeps the YAML path it came from so run-time events and errors can name it.
 */
import { type Expression } from "./expressions";

/** An Archy value: `{lit}`, `{exp}`, `{var}` or `{noValue: true}` (NOT_SET). */
export type FlowValueSource = { kind: "literal"; value: unknown } | { kind: "expression"; expression: Expression; source: string } | { kind: "notSet" };

interface ActionBase {
  /** The action's `name` in the flow. */
  name: string;
  /** Where it is in the YAML, e.g. `inboundShortMessage.states[0].state.actions[1]`. */
  path: string;
}

export interface GetParticipantDataAction extends ActionBase {
  type: "getParticipantData";
  attributes: Array<{ attribute: string; variable: string }>;
}

export interface SetParticipantDataAction extends ActionBase {
  type: "setParticipantData";
  attributes: Array<{ attribute: string; value: FlowValueSource }>;
}

export interface SendResponseAction extends ActionBase {
  type: "sendResponse";
  messageBody: FlowValueSource;
}

export interface TransferToAcdAction extends ActionBase {
  type: "transferToAcd";
  queue: string;
  priority: FlowValueSource;
}

export interface DisconnectAction extends ActionBase {
  type: "disconnect";
}

/** Architect's Switch (first true case): the renderer chooses the flow's own messages by language with it. */
export interface SwitchAction extends ActionBase {
  type: "switch";
  cases: Array<{ condition: FlowValueSource; actions: FlowAction[] }>;
  defaultActions: FlowAction[];
}

export interface CallBotConnectorAction extends ActionBase {
  /** Call Bot Connector; with `digital`, Call Digital Bot Connector (its own Archy key, the same model otherwise). */
  type: "callBotConnector";
  /** The Digital Bot Connector (v2): the action's Bot Response and Session Timeouts, in milliseconds. */
  digital?: { botResponseTimeoutMs: number; sessionTimeoutMs: number };
  integration: string;
  bot: string;
  version: string;
  inputText: FlowValueSource;
  /** The Follow-up Response Timeout in milliseconds. */
  followUpTimeoutMs: number;
  /** Session variable → value sent in `parameters`. */
  inputs: Record<string, FlowValueSource>;
  /** Output session variable → flow variable it is bound to. */
  outputs: Record<string, string>;
  /** Intent → slot → flow variable it is bound to. */
  slotBindings: Record<string, Record<string, string>>;
  /** Intent → actions of its output path. */
  intentPaths: Record<string, FlowAction[]>;
  failurePath: FlowAction[];
}

export type FlowAction =
  | GetParticipantDataAction
  | SetParticipantDataAction
  | SendResponseAction
  | TransferToAcdAction
  | DisconnectAction
  | SwitchAction
  | CallBotConnectorAction;

export const ACTION_TYPES = ["getParticipantData", "callBotConnector", "callDigitalBotConnector", "setParticipantData", "sendResponse", "switch", "transferToAcd", "disconnect"] as const;

export interface FlowModel {
  name: string;
  defaultLanguage: string;
  supportedLanguages: string[];
  /** `State.x` → Archy variable kind (`stringVariable`, `integerVariable`, ...). */
  variables: Record<string, string>;
  /** The start-up state's actions. */
  actions: FlowAction[];
  /** What the flow does when an action fails at run time (`settingsErrorHandling`). */
  onError: "disconnect";
}

/** Every action in a list and in the paths below it, depth first. */
export function allActions(actions: readonly FlowAction[]): FlowAction[] {
  return actions.flatMap((a) => [a, ...allActions(nestedActions(a))]);
}

/** The actions directly under an action's paths or cases. */
export function nestedActions(a: FlowAction): FlowAction[] {
  if (a.type === "callBotConnector") return [...Object.values(a.intentPaths).flat(), ...a.failurePath];
  if (a.type === "switch") return [...a.cases.flatMap((c) => c.actions), ...a.defaultActions];
  return [];
}
