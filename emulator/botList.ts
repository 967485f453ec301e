/**
 * The bot list as Genesys holds it after `PUT .../botconnector/{id}/bots`, and the design-time checks Architect
 * makes when a flow's Call Bot Connector action is bound to a bot version: the bot and version exist, the flow's
 * languages are supported (no fallback), there is one output path per registered intent, and slots are bound to
 * variables of their type (docs/genesys-bot-connector.md, "The bot list" and "The Call Bot Connector action").
 */
import { type BotConnectorBotVersion, type BotList } from "../service/src/bots/botList";
import { type SlotType } from "../service/src/bots/definition";
import { normalizeBotList } from "../components/genesys/botList/model";
import { VARIABLE_KIND } from "../components/genesys/flow/render";
import { ajv, describeAjvError } from "./ajvErrors";
import { allActions, type CallBotConnectorAction, type FlowModel } from "./flow/model";

export class BotListError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source} does not fit:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "BotListError";
  }
}

const NAME = { type: "string", minLength: 1 } as const;
const botListShape = ajv.compile({
  type: "object",
  required: ["chatBots"],
  properties: {
    chatBots: {
      type: "array",
      items: {
        type: "object",
        required: ["id", "versions"],
        properties: {
          id: NAME,
          name: NAME,
          versions: {
            type: "array",
            items: {
              type: "object",
              required: ["version", "supportedLanguages", "intents"],
              properties: {
                version: NAME,
                supportedLanguages: { type: "array", items: NAME },
                intents: {
                  type: "array",
                  items: {
                    type: "object",
                    required: ["name"],
                    properties: {
                      name: NAME,
                      slots: { type: "object", additionalProperties: { type: "object", required: ["name", "type"], properties: { name: NAME, type: NAME } } },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
});

/** Parses bot-list.json (the `BotList` body); throws BotListError naming each malformed field. */
export function parseBotList(json: unknown, source = "bot-list.json"): BotList {
  if (!botListShape(json)) {
    throw new BotListError(
      source,
      (botListShape.errors ?? []).map((e) => {
        const { path, message } = describeAjvError(e, "(body)");
        return `${path}: ${message}`;
      }),
    );
  }
  return normalizeBotList(json as BotList);
}

/** What one Call Bot Connector action talks to: the registered bot and the selected version. */
export interface BotBinding {
  bot: { id: string; name: string };
  version: BotConnectorBotVersion;
  /** Intent → slot name → slot type. */
  slotTypes: Record<string, Record<string, SlotType>>;
}

/**
 * Binds every Call Bot Connector action of the flow to its bot version, checking what Architect checks when the
 * flow is published. Throws BotListError listing every mismatch.
 */
export function bindFlowToBotList(flow: FlowModel, list: BotList, source = "architect-flow.yaml"): Map<CallBotConnectorAction, BotBinding> {
  const problems: string[] = [];
  const bindings = new Map<CallBotConnectorAction, BotBinding>();
  for (const action of allActions(flow.actions)) {
    if (action.type !== "callBotConnector") continue;
    const at = `${action.path} ("${action.name}")`;
    // Architect's picker shows the bot's name; the flow selects the bot by it.
    const bot = list.chatBots.find((b) => b.name === action.bot);
    if (!bot) {
      problems.push(`${at}: bot "${action.bot}" is not in the bot list (bots: ${list.chatBots.map((b) => `"${b.name}"`).join(", ") || "none"})`);
      continue;
    }
    const version = bot.versions.find((v) => v.version === action.version);
    if (!version) {
      problems.push(`${at}: bot "${bot.name}" has no version "${action.version}" in the bot list (versions: ${bot.versions.map((v) => v.version).join(", ")})`);
      continue;
    }
    for (const language of flow.supportedLanguages) {
      if (!version.supportedLanguages.includes(language)) {
        problems.push(`${at}: the flow supports ${language} but bot "${bot.name}" version ${version.version} does not (${version.supportedLanguages.join(", ")}); Architect matches languages without fallback`);
      }
    }
    const registered = version.intents.map((i) => i.name);
    for (const intent of registered) if (!(intent in action.intentPaths)) problems.push(`${at}: no output path for registered intent "${intent}"`);
    for (const intent of Object.keys(action.intentPaths)) {
      if (!registered.includes(intent)) problems.push(`${at}: output path "${intent}" is not an intent of bot "${bot.name}" version ${version.version} (${registered.join(", ")})`);
    }
    const slotTypes: Record<string, Record<string, SlotType>> = {};
    for (const intent of version.intents) {
      slotTypes[intent.name] = Object.fromEntries(Object.values(intent.slots ?? {}).map((s) => [s.name, s.type]));
    }
    for (const [intent, slots] of Object.entries(action.slotBindings)) {
      const declared = slotTypes[intent];
      if (!declared) {
        problems.push(`${at}: binds slots of "${intent}", which is not a registered intent`);
        continue;
      }
      for (const [slot, variable] of Object.entries(slots)) {
        const type = declared[slot];
        if (!type) {
          problems.push(`${at}: binds slot "${slot}" of intent "${intent}", which the bot list does not declare (${Object.keys(declared).join(", ") || "no slots"})`);
          continue;
        }
        const kind = flow.variables[variable];
        if (kind && kind !== VARIABLE_KIND[type]) problems.push(`${at}: slot "${intent}.${slot}" is ${type} but ${variable} is a ${kind} (expected ${VARIABLE_KIND[type]})`);
      }
    }
    bindings.set(action, { bot: { id: bot.id, name: bot.name }, version, slotTypes });
  }
  if (bindings.size === 0 && problems.length === 0) problems.push(`${flow.name}: the flow has no Call Bot Connector action`);
  if (problems.length > 0) throw new BotListError(source, problems);
  return bindings;
}
