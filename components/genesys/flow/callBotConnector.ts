/**
 * The Architect "Call Bot Connector" action in Archy YAML — the one part of the flow whose keys no public
 * source confirms (docs/genesys-bot-connector.md#the-call-bot-connector-action). Everything about it lives in this module so that there is
 * exactly one place to correct once a flow exported from a real org shows the true keys.
 *
 * What is confirmed (Genesys help "Call Bot Connector action", the Architect scripting SDK): the action
 * selects an integration, a bot and a version; takes the bot input text and a follow-up response timeout;
 * passes input session variables and receives output session variables; has one output path per intent of the
 * selected version (whose slots can be bound to variables) and a Failure path.
 *
 * What is assumed (UNCONFIRMED), following the conventions Archy uses for `callBotFlow` and `callData`
 * (names selected as map keys, branches under `outputs`):
 *
 * ```yaml
 * - callBotConnector:
 *     name: Call Bot Connector
 *     inputText: { exp: Message.Message.body }
 *     followupResponseTimeout: { lit: { hours: 12 } }
 *     botIntegration:
 *       "{{bot_integration_name}}":
 *         bot:
 *           "{{bot_name}}":
 *             version:
 *               "{{bot_version}}":
 *                 sessionVariables:
 *                   inputs:  { customerName: { exp: State.in_customerName } }
 *                   outputs: { lastTopic: { var: State.out_lastTopic } }
 *                 intents:
 *                   OrderStatus:
 *                     slots:
 *                       orderNumber: { var: State.slot_OrderStatus_orderNumber }
 *     outputs:
 *       OrderStatus: { actions: [...] }   # one path per intent, by intent name
 *       failure:     { actions: [...] }
 * ```
 *
 * Instead of this shape, a user can supply the action exported from Architect (`archy export`, or the flow
 * export API) as `callBotConnectorTemplate`: the YAML of the single `callBotConnector` action, with
 * - the integration, bot and version names replaced by `{{bot_integration_name}}`, `{{bot_name}}` and
 *   `{{bot_version}}` (so renames reach the flow through substitutions),
 * - the actions list of each intent path replaced by the scalar `"{{actions:<IntentName>}}"` and of the failure
 *   path by `"{{actions:failure}}"` (the renderer puts the generated actions there),
 * - slots and session variables bound to the variables the renderer declares (listed in the rendered flow's
 *   `variables`: `State.slot_<intent>_<slot>`, `State.in_<name>`, `State.out_<name>`).
 */
import { parse as parseYaml } from "yaml";

export type ArchyNode = Record<string, unknown>;

export interface CallBotConnectorSpec {
  inputText: string;
  /** Archy duration literal, e.g. `{ hours: 12 }`. */
  followUpTimeout: Record<string, number>;
  /** Session variable → variable holding its value. */
  inputs: Record<string, string>;
  /** Output session variable → variable receiving it. */
  outputs: Record<string, string>;
  /** Intent → slot → variable receiving the slot value. */
  slotBindings: Record<string, Record<string, string>>;
  /** Intent → actions of its output path, in intent order. */
  intentActions: Array<[string, ArchyNode[]]>;
  failureActions: ArchyNode[];
}

/** The names of the three selection placeholders, in the order the action nests them. */
export const SELECTION_PLACEHOLDERS = ["bot_integration_name", "bot_name", "bot_version"] as const;

const varRef = (name: string) => ({ var: name });

/** The built-in (assumed) shape of the action. */
export function callBotConnectorAction(spec: CallBotConnectorSpec): ArchyNode {
  const version: ArchyNode = {};
  if (Object.keys(spec.inputs).length > 0 || Object.keys(spec.outputs).length > 0) {
    version.sessionVariables = {
      inputs: Object.fromEntries(Object.entries(spec.inputs).map(([name, v]) => [name, { exp: v }])),
      outputs: Object.fromEntries(Object.entries(spec.outputs).map(([name, v]) => [name, varRef(v)])),
    };
  }
  version.intents = Object.fromEntries(
    spec.intentActions.map(([intent]) => [
      intent,
      { slots: Object.fromEntries(Object.entries(spec.slotBindings[intent] ?? {}).map(([slot, v]) => [slot, varRef(v)])) },
    ]),
  );
  return {
    callBotConnector: {
      name: "Call Bot Connector",
      inputText: { exp: spec.inputText },
      followupResponseTimeout: { lit: spec.followUpTimeout },
      botIntegration: { "{{bot_integration_name}}": { bot: { "{{bot_name}}": { version: { "{{bot_version}}": version } } } } },
      outputs: {
        ...Object.fromEntries(spec.intentActions.map(([intent, actions]) => [intent, { actions }])),
        failure: { actions: spec.failureActions },
      },
    },
  };
}

const ACTIONS_MARKER = /^\{\{actions:(.+)\}\}$/;

/**
 * The user's exported action with the generated actions put in place of its `{{actions:...}}` markers.
 * Throws, naming what is missing or unknown, when the template does not fit the bot version.
 */
export function callBotConnectorFromTemplate(template: string, spec: CallBotConnectorSpec, actionKey = "callBotConnector"): ArchyNode {
  let parsed: unknown;
  try {
    parsed = parseYaml(template);
  } catch (err) {
    throw new Error(`callBotConnectorTemplate is not valid YAML: ${(err as Error).message}`, { cause: err });
  }
  const list = Array.isArray(parsed) && parsed.length === 1 ? parsed[0] : parsed;
  if (!list || typeof list !== "object" || !(actionKey in list)) {
    throw new Error(`callBotConnectorTemplate must be one action: a mapping whose only key is ${actionKey}`);
  }
  for (const key of SELECTION_PLACEHOLDERS) {
    if (!template.includes(`{{${key}}}`)) {
      throw new Error(`callBotConnectorTemplate must use {{${key}}} where the exported flow has the name, so renames reach the flow`);
    }
  }
  const byIntent = new Map(spec.intentActions);
  const used = new Set<string>();
  const unknown: string[] = [];
  const fill = (node: unknown): unknown => {
    if (typeof node === "string") {
      const m = ACTIONS_MARKER.exec(node);
      if (!m) return node;
      const target = m[1] as string;
      used.add(target);
      if (target === "failure") return spec.failureActions;
      const actions = byIntent.get(target);
      if (!actions) unknown.push(target);
      return actions ?? [];
    }
    if (Array.isArray(node)) return node.map(fill);
    if (node && typeof node === "object") return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, fill(v)]));
    return node;
  };
  const filled = fill(list) as ArchyNode;
  const missing = [...spec.intentActions.map(([intent]) => intent), "failure"].filter((t) => !used.has(t));
  if (unknown.length > 0 || missing.length > 0) {
    throw new Error(
      "callBotConnectorTemplate does not match the bot version:" +
        (missing.length ? `\n  no {{actions:...}} marker for: ${missing.join(", ")}` : "") +
        (unknown.length ? `\n  markers for intents the version does not declare: ${unknown.join(", ")}` : ""),
    );
  }
  return filled;
}

/** ISO 8601 duration (`PT12H`, `P1DT30M`, `PT90S`) → Archy duration literal (`{ hours: 12 }`). */
export function archyDuration(iso: string): Record<string, number> {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(iso);
  if (!m || iso === "P" || iso.endsWith("T")) throw new Error(`"${iso}" is not an ISO 8601 duration such as PT12H or PT30M`);
  const parts: Array<[string, string | undefined]> = [
    ["days", m[1]],
    ["hours", m[2]],
    ["minutes", m[3]],
    ["seconds", m[4]],
  ];
  const out = Object.fromEntries(parts.filter(([, v]) => v !== undefined).map(([k, v]) => [k, Number(v)]));
  if (Object.keys(out).length === 0) throw new Error(`"${iso}" is an empty duration`);
  return out;
}
