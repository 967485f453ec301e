/**
 * Reads the rendered Archy YAML into a FlowModel. It accepts exactly the vocabulary the renderer emits
 * (components/genesys/flow/render.ts and callBotConnector.ts); anything else is a load error naming the key and
 * where it is, so the emulator never silently skips a part of the flow it does not understand.
 */
import { parse as parseYaml } from "yaml";
import { ExpressionError, parseExpression, variablesIn } from "./expressions";
import { VARIABLE_KIND } from "../../components/genesys/flow/render";
import { ACTION_TYPES, type CallBotConnectorAction, type FlowAction, type FlowModel, type FlowValueSource, nestedActions } from "./model";

export class FlowLoadError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source} cannot be run by the emulator:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "FlowLoadError";
  }
}

type Node = Record<string, unknown>;

const isMap = (value: unknown): value is Node => typeof value === "object" && value !== null && !Array.isArray(value);

const VARIABLE_KINDS: readonly string[] = Object.values(VARIABLE_KIND);
const DURATION_MS: Record<string, number> = { days: 86_400_000, hours: 3_600_000, minutes: 60_000, seconds: 1000 };

/** Collects problems while walking the YAML; helpers return undefined after recording one. */
class Reader {
  readonly problems: string[] = [];

  problem(path: string, message: string): undefined {
    const text = `${path}: ${message}`;
    if (!this.problems.includes(text)) this.problems.push(text);
    return undefined;
  }

  map(value: unknown, path: string): Node | undefined {
    return isMap(value) ? value : this.problem(path, `must be a mapping, got ${describe(value)}`);
  }

  string(value: unknown, path: string): string | undefined {
    return typeof value === "string" && value !== "" ? value : this.problem(path, `must be a non-empty string, got ${describe(value)}`);
  }

  /** The only key of a mapping whose key is a name (integration, bot, version). */
  single(value: unknown, path: string): [string, unknown] | undefined {
    const node = this.map(value, path);
    if (!node) return undefined;
    const entries = Object.entries(node);
    if (entries.length !== 1) return this.problem(path, `must select exactly one name, got ${entries.length} (${Object.keys(node).join(", ")})`);
    return entries[0];
  }

  /** Rejects keys the emulator does not implement, so nothing in the flow is silently ignored. */
  keys(node: Node, path: string, allowed: readonly string[]): void {
    for (const key of Object.keys(node)) {
      if (!allowed.includes(key)) this.problem(`${path}.${key}`, `the emulator does not implement "${key}" here (it knows ${allowed.join(", ")})`);
    }
  }

  value(value: unknown, path: string): FlowValueSource | undefined {
    const node = this.map(value, path);
    if (!node) return undefined;
    const keys = Object.keys(node);
    if (keys.length !== 1) return this.problem(path, `must be one of {lit}, {exp}, {var} or {noValue: true}, got keys ${keys.join(", ") || "(none)"}`);
    if ("lit" in node) return { kind: "literal", value: node.lit };
    if ("noValue" in node) return node.noValue === true ? { kind: "notSet" } : this.problem(path, "noValue must be true");
    const source = "exp" in node ? node.exp : "var" in node ? node.var : undefined;
    if (typeof source !== "string") return this.problem(path, `must be one of {lit}, {exp}, {var} or {noValue: true}, got ${keys[0]}`);
    try {
      return { kind: "expression", expression: parseExpression(source), source };
    } catch (err) {
      if (err instanceof ExpressionError) return this.problem(path, err.message);
      throw err;
    }
  }

  variableRef(value: unknown, path: string): string | undefined {
    const source = this.value(value, path);
    if (!source) return undefined;
    if (source.kind !== "expression" || source.expression.kind !== "variable") return this.problem(path, "must name a flow variable ({var: State.x})");
    return source.expression.name;
  }
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "a mapping" : `${typeof value} ${JSON.stringify(value)}`;
}

function durationMs(r: Reader, value: unknown, path: string): number | undefined {
  const source = r.value(value, path);
  if (!source) return undefined;
  if (source.kind !== "literal" || !isMap(source.value)) return r.problem(path, "must be a literal duration such as {lit: {hours: 12}}");
  let total = 0;
  for (const [unit, amount] of Object.entries(source.value)) {
    const factor = DURATION_MS[unit];
    if (factor === undefined || typeof amount !== "number" || amount < 0) return r.problem(`${path}.lit.${unit}`, "must be days, hours, minutes or seconds with a number ≥ 0");
    total += amount * factor;
  }
  return total;
}

function readActions(r: Reader, value: unknown, path: string): FlowAction[] {
  if (!Array.isArray(value)) {
    r.problem(path, `must be a list of actions, got ${describe(value)}`);
    return [];
  }
  return value.flatMap((item, i) => {
    const action = readAction(r, item, `${path}[${i}]`);
    return action ? [action] : [];
  });
}

function readAction(r: Reader, item: unknown, path: string): FlowAction | undefined {
  const node = r.map(item, path);
  if (!node) return undefined;
  const [type, ...extra] = Object.keys(node);
  if (!type || extra.length > 0) return r.problem(path, `an action is a mapping with one key (its type), got ${Object.keys(node).join(", ") || "(none)"}`);
  const at = `${path}.${type}`;
  if (!(ACTION_TYPES as readonly string[]).includes(type)) {
    return r.problem(at, `the emulator does not implement the Archy action "${type}" (it runs ${ACTION_TYPES.join(", ")}: the actions the flow renderer emits)`);
  }
  const body = r.map(node[type], at);
  if (!body) return undefined;
  const name = r.string(body.name, `${at}.name`) ?? type;
  switch (type) {
    case "getParticipantData": {
      r.keys(body, at, ["name", "attributes"]);
      const attributes = attributeList(r, body.attributes, `${at}.attributes`).flatMap(([a, p]) => {
        const attribute = literalString(r, a.name, `${p}.name`);
        const variable = typeof a.variable === "string" ? a.variable : r.problem(`${p}.variable`, "must name a flow variable (State.x)");
        r.keys(a, p, ["name", "variable"]);
        return attribute && variable ? [{ attribute, variable }] : [];
      });
      return { type, name, path: at, attributes };
    }
    case "setParticipantData": {
      r.keys(body, at, ["name", "attributes"]);
      const attributes = attributeList(r, body.attributes, `${at}.attributes`).flatMap(([a, p]) => {
        const attribute = literalString(r, a.name, `${p}.name`);
        const value = r.value(a.value, `${p}.value`);
        r.keys(a, p, ["name", "value"]);
        return attribute && value ? [{ attribute, value }] : [];
      });
      return { type, name, path: at, attributes };
    }
    case "sendResponse": {
      r.keys(body, at, ["name", "messageBody"]);
      const messageBody = r.value(body.messageBody, `${at}.messageBody`);
      return messageBody ? { type, name, path: at, messageBody } : undefined;
    }
    case "transferToAcd": {
      r.keys(body, at, ["name", "targetQueue", "priority", "preferredAgents", "languageSkill"]);
      for (const key of ["preferredAgents", "languageSkill"]) {
        if (key in body && r.value(body[key], `${at}.${key}`)?.kind !== "notSet") r.problem(`${at}.${key}`, "the emulator implements only {noValue: true} here");
      }
      const target = r.value(body.targetQueue, `${at}.targetQueue`);
      const queue = target?.kind === "literal" && isMap(target.value) && typeof target.value.name === "string" ? target.value.name : undefined;
      if (!queue) return r.problem(`${at}.targetQueue`, "must be a queue selected by name: {lit: {name: <queue>}}");
      const priority = body.priority === undefined ? ({ kind: "literal", value: 0 } as const) : r.value(body.priority, `${at}.priority`);
      return priority ? { type, name, path: at, queue, priority } : undefined;
    }
    case "disconnect":
      r.keys(body, at, ["name"]);
      return { type, name, path: at };
    case "callBotConnector":
      return readCallBotConnector(r, body, name, at, false);
    case "callDigitalBotConnector":
      return readCallBotConnector(r, body, name, at, true);
    case "switch":
      return readSwitch(r, body, name, at);
  }
  return undefined;
}

/** `switch: {name, evaluate: {firstTrue: {cases: [{case: {value: {exp}, actions}}], default: {actions}}}}`. */
function readSwitch(r: Reader, body: Node, name: string, at: string): FlowAction | undefined {
  r.keys(body, at, ["name", "evaluate"]);
  const evaluate = r.map(body.evaluate, `${at}.evaluate`);
  if (!evaluate) return undefined;
  r.keys(evaluate, `${at}.evaluate`, ["firstTrue"]);
  const firstTrue = r.map(evaluate.firstTrue, `${at}.evaluate.firstTrue`);
  if (!firstTrue) return undefined;
  const p = `${at}.evaluate.firstTrue`;
  r.keys(firstTrue, p, ["cases", "default"]);
  const defaultNode = r.map(firstTrue.default ?? { actions: [] }, `${p}.default`) ?? {};
  r.keys(defaultNode, `${p}.default`, ["actions"]);
  const defaultActions = readActions(r, defaultNode.actions ?? [], `${p}.default.actions`);
  if (!Array.isArray(firstTrue.cases)) return r.problem(`${p}.cases`, `must be a list of {case: {value, actions}}, got ${describe(firstTrue.cases)}`);
  const cases = firstTrue.cases.flatMap((item, i) => {
    const cp = `${p}.cases[${i}].case`;
    const wrapper = r.map(item, `${p}.cases[${i}]`);
    const node = wrapper ? r.map(wrapper.case, cp) : undefined;
    if (!node) return [];
    r.keys(node, cp, ["value", "actions"]);
    const condition = r.value(node.value, `${cp}.value`);
    const actions = readActions(r, node.actions ?? [], `${cp}.actions`);
    return condition ? [{ condition, actions }] : [];
  });
  return { type: "switch", name, path: at, cases, defaultActions };
}

function attributeList(r: Reader, value: unknown, path: string): Array<[Node, string]> {
  if (!Array.isArray(value)) {
    r.problem(path, `must be a list of {attribute: ...}, got ${describe(value)}`);
    return [];
  }
  return value.flatMap((item, i): Array<[Node, string]> => {
    const p = `${path}[${i}].attribute`;
    const wrapper = r.map(item, `${path}[${i}]`);
    const attribute = wrapper ? r.map(wrapper.attribute, p) : undefined;
    return attribute ? [[attribute, p]] : [];
  });
}

function literalString(r: Reader, value: unknown, path: string): string | undefined {
  const source = r.value(value, path);
  if (!source) return undefined;
  return source.kind === "literal" && typeof source.value === "string" && source.value !== "" ? source.value : r.problem(path, "must be a literal name: {lit: <name>}");
}

/**
 * Call Bot Connector, or with `digital` Call Digital Bot Connector: the same keys (components/genesys/flow/
 * callDigitalBotConnector.ts) plus its Bot Response and Session Timeouts, and `entities` where v1 has `slots`.
 */
function readCallBotConnector(r: Reader, body: Node, name: string, at: string, digital: boolean): CallBotConnectorAction | undefined {
  r.keys(body, at, ["name", "inputText", "followupResponseTimeout", "botIntegration", "outputs", ...(digital ? ["botResponseTimeout", "sessionTimeout"] : [])]);
  const inputText = r.value(body.inputText, `${at}.inputText`);
  const followUpTimeoutMs = durationMs(r, body.followupResponseTimeout, `${at}.followupResponseTimeout`);
  const botResponseTimeoutMs = digital ? durationMs(r, body.botResponseTimeout, `${at}.botResponseTimeout`) : undefined;
  const sessionTimeoutMs = digital ? durationMs(r, body.sessionTimeout, `${at}.sessionTimeout`) : undefined;
  const slotsKey = digital ? "entities" : "slots";
  const integration = r.single(body.botIntegration, `${at}.botIntegration`);
  if (!integration) return undefined;
  const integrationPath = `${at}.botIntegration["${integration[0]}"]`;
  const integrationNode = r.map(integration[1], integrationPath);
  if (!integrationNode) return undefined;
  r.keys(integrationNode, integrationPath, ["bot"]);
  const bot = r.single(integrationNode.bot, `${integrationPath}.bot`);
  if (!bot) return undefined;
  const botPath = `${integrationPath}.bot["${bot[0]}"]`;
  const botNode = r.map(bot[1], botPath);
  if (!botNode) return undefined;
  r.keys(botNode, botPath, ["version"]);
  const version = r.single(botNode.version, `${botPath}.version`);
  if (!version) return undefined;
  const versionPath = `${botPath}.version["${version[0]}"]`;
  const versionNode = r.map(version[1] ?? {}, versionPath) ?? {};
  r.keys(versionNode, versionPath, ["sessionVariables", "intents"]);

  const inputs: Record<string, FlowValueSource> = {};
  const outputs: Record<string, string> = {};
  if (versionNode.sessionVariables !== undefined) {
    const sv = r.map(versionNode.sessionVariables, `${versionPath}.sessionVariables`) ?? {};
    r.keys(sv, `${versionPath}.sessionVariables`, ["inputs", "outputs"]);
    for (const [key, value] of Object.entries(r.map(sv.inputs ?? {}, `${versionPath}.sessionVariables.inputs`) ?? {})) {
      const source = r.value(value, `${versionPath}.sessionVariables.inputs.${key}`);
      if (source) inputs[key] = source;
    }
    for (const [key, value] of Object.entries(r.map(sv.outputs ?? {}, `${versionPath}.sessionVariables.outputs`) ?? {})) {
      const variable = r.variableRef(value, `${versionPath}.sessionVariables.outputs.${key}`);
      if (variable) outputs[key] = variable;
    }
  }
  const slotBindings: Record<string, Record<string, string>> = {};
  for (const [intent, value] of Object.entries(r.map(versionNode.intents ?? {}, `${versionPath}.intents`) ?? {})) {
    const p = `${versionPath}.intents.${intent}`;
    const intentNode = r.map(value ?? {}, p) ?? {};
    r.keys(intentNode, p, [slotsKey]);
    slotBindings[intent] = {};
    for (const [slot, ref] of Object.entries(r.map(intentNode[slotsKey] ?? {}, `${p}.${slotsKey}`) ?? {})) {
      const variable = r.variableRef(ref, `${p}.${slotsKey}.${slot}`);
      if (variable) (slotBindings[intent] as Record<string, string>)[slot] = variable;
    }
  }

  const intentPaths: Record<string, FlowAction[]> = {};
  let failurePath: FlowAction[] | undefined;
  for (const [output, value] of Object.entries(r.map(body.outputs, `${at}.outputs`) ?? {})) {
    const p = `${at}.outputs.${output}`;
    const node = r.map(value, p);
    if (!node) continue;
    r.keys(node, p, ["actions"]);
    const actions = readActions(r, node.actions ?? [], `${p}.actions`);
    if (output === "failure") failurePath = actions;
    else intentPaths[output] = actions;
  }
  if (!failurePath) r.problem(`${at}.outputs`, "has no failure path (outputs.failure)");
  for (const intent of Object.keys(slotBindings)) {
    if (!(intent in intentPaths)) r.problem(`${at}.outputs`, `has no output path for intent "${intent}" declared under the version's intents`);
  }
  if (!inputText || followUpTimeoutMs === undefined || !failurePath) return undefined;
  if (digital && (botResponseTimeoutMs === undefined || sessionTimeoutMs === undefined)) return undefined;
  return {
    type: "callBotConnector",
    ...(digital ? { digital: { botResponseTimeoutMs: botResponseTimeoutMs as number, sessionTimeoutMs: sessionTimeoutMs as number } } : {}),
    name,
    path: at,
    integration: integration[0],
    bot: bot[0],
    version: version[0],
    inputText,
    followUpTimeoutMs,
    inputs,
    outputs,
    slotBindings,
    intentPaths,
    failurePath,
  };
}

/** Parses and checks the rendered flow. Throws FlowLoadError listing every problem. */
export function loadFlow(yamlText: string, source = "architect-flow.yaml"): FlowModel {
  let parsed: unknown;
  try {
    parsed = parseYaml(yamlText);
  } catch (err) {
    throw new FlowLoadError(source, [`not valid YAML: ${(err as Error).message}`]);
  }
  const r = new Reader();
  const root = r.map(parsed, "(file)");
  if (!root) throw new FlowLoadError(source, r.problems);
  if (!("inboundShortMessage" in root)) {
    throw new FlowLoadError(source, [`the emulator runs inbound message flows (inboundShortMessage); this file declares ${Object.keys(root).join(", ") || "nothing"}`]);
  }
  const flow = r.map(root.inboundShortMessage, "inboundShortMessage") ?? {};
  r.keys(flow, "inboundShortMessage", ["name", "description", "startUpRef", "defaultLanguage", "supportedLanguages", "settingsErrorHandling", "states"]);
  const name = r.string(flow.name, "inboundShortMessage.name") ?? "(unnamed flow)";
  const defaultLanguage = r.string(flow.defaultLanguage, "inboundShortMessage.defaultLanguage") ?? "";
  const supportedLanguages = Object.keys(r.map(flow.supportedLanguages, "inboundShortMessage.supportedLanguages") ?? {});
  if (defaultLanguage && !supportedLanguages.includes(defaultLanguage)) {
    r.problem("inboundShortMessage.defaultLanguage", `"${defaultLanguage}" is not one of supportedLanguages (${supportedLanguages.join(", ")})`);
  }
  const errorHandling = JSON.stringify(flow.settingsErrorHandling ?? null);
  if (errorHandling !== JSON.stringify({ errorHandling: { disconnect: { none: true } } })) {
    r.problem("inboundShortMessage.settingsErrorHandling", `the emulator implements only {errorHandling: {disconnect: {none: true}}}, got ${errorHandling}`);
  }

  const startUpRef = r.string(flow.startUpRef, "inboundShortMessage.startUpRef") ?? "";
  const refId = /^\/inboundShortMessage\/states\/state\[(.+)\]$/.exec(startUpRef)?.[1];
  if (startUpRef && !refId) r.problem("inboundShortMessage.startUpRef", `must look like /inboundShortMessage/states/state[<refId>], got "${startUpRef}"`);
  const states = Array.isArray(flow.states) ? flow.states : (r.problem("inboundShortMessage.states", "must be a list of states") ?? []);
  const stateIndex = states.findIndex((s) => isMap(s) && isMap(s.state) && s.state.refId === refId);
  if (refId && stateIndex < 0) r.problem("inboundShortMessage.startUpRef", `no state has refId "${refId}"`);
  if (states.length > 1) r.problem("inboundShortMessage.states", `the emulator runs flows with one state (the renderer emits one); this flow has ${states.length}`);

  const variables: Record<string, string> = {};
  let actions: FlowAction[] = [];
  if (stateIndex >= 0) {
    const statePath = `inboundShortMessage.states[${stateIndex}].state`;
    const state = (states[stateIndex] as Node).state as Node;
    r.keys(state, statePath, ["name", "refId", "variables", "actions"]);
    const declared = Array.isArray(state.variables) ? state.variables : [];
    declared.forEach((item, i) => {
      const p = `${statePath}.variables[${i}]`;
      const entry = r.single(item, p);
      const decl = entry ? r.map(entry[1], `${p}.${entry[0]}`) : undefined;
      const varName = decl ? r.string(decl.name, `${p}.${entry?.[0]}.name`) : undefined;
      if (!entry || !varName) return;
      if (!VARIABLE_KINDS.includes(entry[0])) r.problem(p, `"${entry[0]}" is not a variable kind the renderer declares (${VARIABLE_KINDS.join(", ")})`);
      if (JSON.stringify(decl?.initialValue ?? { noValue: true }) !== JSON.stringify({ noValue: true })) {
        r.problem(`${p}.${entry[0]}.initialValue`, "the emulator implements only {noValue: true}");
      }
      variables[varName] = entry[0];
    });
    actions = readActions(r, state.actions, `${statePath}.actions`);
  }
  const model: FlowModel = { name, defaultLanguage, supportedLanguages, variables, actions, onError: "disconnect" };
  checkVariables(r, model);
  if (r.problems.length > 0) throw new FlowLoadError(source, r.problems);
  return model;
}

/** Every variable the flow reads or writes must be declared, as Architect requires. */
function checkVariables(r: Reader, model: FlowModel): void {
  const check = (name: string, path: string) => {
    if (!(name in model.variables)) r.problem(path, `uses ${name}, which the state does not declare`);
  };
  const visit = (actions: readonly FlowAction[]) => {
    for (const a of actions) {
      const values: FlowValueSource[] = [];
      if (a.type === "getParticipantData") a.attributes.forEach((x) => check(x.variable, a.path));
      if (a.type === "setParticipantData") values.push(...a.attributes.map((x) => x.value));
      if (a.type === "sendResponse") values.push(a.messageBody);
      if (a.type === "transferToAcd") values.push(a.priority);
      if (a.type === "callBotConnector") {
        values.push(a.inputText, ...Object.values(a.inputs));
        Object.values(a.outputs).forEach((v) => check(v, a.path));
        Object.values(a.slotBindings).forEach((slots) => Object.values(slots).forEach((v) => check(v, a.path)));
      }
      if (a.type === "switch") values.push(...a.cases.map((c) => c.condition));
      visit(nestedActions(a));
      for (const v of values) if (v.kind === "expression") variablesIn(v.expression).forEach((n) => check(n, a.path));
    }
  };
  visit(model.actions);
}
