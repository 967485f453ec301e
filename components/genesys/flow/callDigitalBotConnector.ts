/**
 * The Architect "Call Digital Bot Connector" action in Archy YAML (Digital Bot Connector, v2) — like v1's action,
 * the one part of the flow whose keys no public source confirms, kept in this module alone so one export of a
 * real flow corrects them.
 *
 * What is confirmed (Genesys help "Call Digital Bot Connector action" and the Digital Bot Connector spec): the
 * action selects a Digital Bot integration, a bot and a version from the manifest the service serves; takes the
 * Bot Input Text, a Follow-up Response Timeout (1 minute to 3 days), a Bot Response Timeout (1 s to 1 minute) and a
 * Session Timeout (1 minute to 3 days); passes Session Variables; has one output path per intent of the version,
 * whose entities can be bound to variables, and a Failure path with errorType and errorMessage.
 *
 * What is assumed (UNCONFIRMED): v1's assumed shape (callBotConnector.ts) under the action key
 * `callDigitalBotConnector`, the two extra timeouts as `botResponseTimeout` and `sessionTimeout` duration literals,
 * and `entities` (the manifest's word) where v1 has `slots`:
 *
 * ```yaml
 * - callDigitalBotConnector:
 *     name: Call Digital Bot Connector
 *     inputText: { exp: Message.Message.body }
 *     followupResponseTimeout: { lit: { hours: 12 } }
 *     botResponseTimeout: { lit: { seconds: 30 } }
 *     sessionTimeout: { lit: { hours: 12 } }
 *     botIntegration:
 *       "{{bot_integration_name}}":
 *         bot:
 *           "{{bot_name}}":
 *             version:
 *               "{{bot_version}}":
 *                 sessionVariables: { inputs: {...}, outputs: {...} }
 *                 intents:
 *                   OrderStatus:
 *                     entities:
 *                       orderNumber: { var: State.slot_OrderStatus_orderNumber }
 *     outputs:
 *       OrderStatus: { actions: [...] }
 *       failure:     { actions: [...] }
 * ```
 *
 * An action exported from Architect replaces this shape the same way as for v1 (`genesysCallBotConnectorTemplate`,
 * prepared as callBotConnector.ts describes), with `callDigitalBotConnector` as its one key.
 */
import { archyDuration, callBotConnectorAction, callBotConnectorFromTemplate, type ArchyNode, type CallBotConnectorSpec } from "./callBotConnector";

export const DIGITAL_ACTION_KEY = "callDigitalBotConnector";

export interface DigitalTimeouts {
  /** Archy duration literal of the Bot Response Timeout, e.g. `{ seconds: 30 }`. */
  botResponseTimeout: Record<string, number>;
  /** Archy duration literal of the Session Timeout, e.g. `{ hours: 12 }`. */
  sessionTimeout: Record<string, number>;
}

/** v1's slot bindings under the v2 name. */
function entitiesFor(version: ArchyNode): ArchyNode {
  const intents = (version.intents ?? {}) as Record<string, { slots?: unknown }>;
  return {
    ...version,
    intents: Object.fromEntries(Object.entries(intents).map(([intent, { slots }]) => [intent, { entities: slots ?? {} }])),
  };
}

/** The built-in (assumed) shape of the action. */
export function callDigitalBotConnectorAction(spec: CallBotConnectorSpec, timeouts: DigitalTimeouts): ArchyNode {
  const v1 = callBotConnectorAction(spec).callBotConnector as Record<string, unknown>;
  const integration = v1.botIntegration as Record<string, { bot: Record<string, { version: Record<string, ArchyNode> }> }>;
  const botIntegration = Object.fromEntries(
    Object.entries(integration).map(([name, { bot }]) => [
      name,
      { bot: Object.fromEntries(Object.entries(bot).map(([botName, { version }]) => [botName, { version: Object.fromEntries(Object.entries(version).map(([v, node]) => [v, entitiesFor(node)])) }])) },
    ]),
  );
  return {
    [DIGITAL_ACTION_KEY]: {
      name: "Call Digital Bot Connector",
      inputText: v1.inputText,
      followupResponseTimeout: v1.followupResponseTimeout,
      botResponseTimeout: { lit: timeouts.botResponseTimeout },
      sessionTimeout: { lit: timeouts.sessionTimeout },
      botIntegration,
      outputs: v1.outputs,
    },
  };
}

/** The user's exported action (key `callDigitalBotConnector`) with the generated actions in place of its markers. */
export function callDigitalBotConnectorFromTemplate(template: string, spec: CallBotConnectorSpec): ArchyNode {
  return callBotConnectorFromTemplate(template, spec, DIGITAL_ACTION_KEY);
}

const SECONDS: Record<string, number> = { days: 86_400, hours: 3_600, minutes: 60, seconds: 1 };
const DAY = 86_400;

/** The ranges Architect accepts for the action's timeouts (it refuses NOT_SET, zero and negative ones). */
export const DIGITAL_TIMEOUT_RANGES = {
  followUpTimeout: { min: 60, max: 3 * DAY, text: "1 minute to 3 days" },
  botResponseTimeout: { min: 1, max: 60, text: "1 second to 1 minute" },
  sessionTimeout: { min: 60, max: 3 * DAY, text: "1 minute to 3 days" },
} as const;

/** An ISO 8601 duration in seconds (throws as archyDuration does on anything else). */
export function durationSeconds(iso: string): number {
  return Object.entries(archyDuration(iso)).reduce((total, [unit, n]) => total + n * (SECONDS[unit] ?? 0), 0);
}

/** Every timeout of the v2 action outside what Architect accepts. */
export function digitalTimeoutProblems(timeouts: Record<keyof typeof DIGITAL_TIMEOUT_RANGES, string>): string[] {
  const problems: string[] = [];
  for (const [name, range] of Object.entries(DIGITAL_TIMEOUT_RANGES) as Array<[keyof typeof DIGITAL_TIMEOUT_RANGES, (typeof DIGITAL_TIMEOUT_RANGES)[keyof typeof DIGITAL_TIMEOUT_RANGES]]>) {
    let seconds: number;
    try {
      seconds = durationSeconds(timeouts[name]);
    } catch (err) {
      problems.push(`${name}: ${(err as Error).message}`);
      continue;
    }
    if (seconds < range.min || seconds > range.max) problems.push(`${name} ${timeouts[name]} is outside what the Call Digital Bot Connector action accepts (${range.text})`);
  }
  return problems;
}

/** The service's own reply window (its default) when Genesys waits long enough. */
const MAX_REPLY_WINDOW_MS = 3000;

/**
 * How long the service may take before it answers MoreData and sends the reply later (its DBC_REPLY_WINDOW_MS):
 * half the flow's Bot Response Timeout, so an answer given at the window's end, saved and sent, still arrives in
 * time, and at most 3 s.
 */
export function replyWindowFor(botResponseTimeout: string): number {
  return Math.min(MAX_REPLY_WINDOW_MS, Math.floor((durationSeconds(botResponseTimeout) * 1000) / 2));
}
