import { type BotDefinition, type SlotType } from "./definition";

/** The Genesys `BotList` body of `PUT /api/v2/integrations/botconnector/{integrationId}/bots`. */
export interface BotList {
  chatBots: BotConnectorBot[];
}

export interface BotConnectorBot {
  id: string;
  name: string;
  description?: string;
  versions: BotConnectorBotVersion[];
}

export interface BotConnectorBotVersion {
  version: string;
  supportedLanguages: string[];
  intents: BotIntent[];
}

export interface BotIntent {
  name: string;
  slots?: Record<string, BotSlot>;
}

export interface BotSlot {
  name: string;
  type: SlotType;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byVersion = new Intl.Collator("en", { numeric: true }).compare;

/**
 * Derives the bot list from bot definitions (already validated and normalised by the loader). Pure and
 * deterministic: bots sorted by id, versions in numeric order, intents and slots in declaration order,
 * so the rendered list diffs cleanly in a pull request. Slot map keys always equal the slot names.
 */
export function buildBotList(definitions: readonly BotDefinition[]): BotList {
  const byId = new Map<string, BotDefinition[]>();
  for (const def of definitions) byId.set(def.id, [...(byId.get(def.id) ?? []), def]);
  const chatBots = [...byId.keys()].sort(byText).map((id): BotConnectorBot => {
    const versions = (byId.get(id) ?? []).slice().sort((a, b) => byVersion(a.version, b.version));
    const latest = versions[versions.length - 1] as BotDefinition;
    return {
      id,
      name: latest.name,
      ...(latest.description ? { description: latest.description } : {}),
      versions: versions.map((def) => ({
        version: def.version,
        supportedLanguages: def.languages.map((l) => l.toLowerCase()),
        intents: Object.entries(def.intents).map(([name, intent]): BotIntent => {
          const slots = Object.entries(intent.slots ?? {});
          return slots.length === 0
            ? { name }
            : { name, slots: Object.fromEntries(slots.map(([slot, type]) => [slot, { name: slot, type }])) };
        }),
      })),
    };
  });
  return { chatBots };
}
