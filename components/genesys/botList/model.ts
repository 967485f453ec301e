/**
 * Pure operations on the Genesys bot list: a keyed form for Pulumi state (so a preview diff names the bot,
 * version, intent and slot that changed instead of array indexes), normalisation of what GET returns, a
 * readable change list, and the read-modify-write merge that keeps other owners' bots on a shared integration.
 *
 * Kept free of module-level state and native objects: the dynamic provider serializes these functions.
 */
import { type BotConnectorBot, type BotList } from "../../../service/src/bots/botList";
import { SLOT_TYPES, type SlotType } from "../../../service/src/bots/definition";

export interface KeyedIntent {
  /** Slot name → Genesys slot type. */
  slots: Record<string, SlotType>;
}

export interface KeyedVersion {
  supportedLanguages: string[];
  intents: Record<string, KeyedIntent>;
}

export interface KeyedBot {
  name: string;
  description?: string;
  versions: Record<string, KeyedVersion>;
}

/** Bot id → bot. */
export type KeyedBots = Record<string, KeyedBot>;

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareVersion(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}

function canonicalSlotType(type: string): SlotType {
  return SLOT_TYPES.find((t) => t.toLowerCase() === String(type).toLowerCase()) ?? (type as SlotType);
}

/** Drops read-only fields (botCompositeTag, selfUri), lower-cases languages, capitalises slot types. */
export function normalizeBotList(list: BotList | undefined): BotList {
  return {
    chatBots: (list?.chatBots ?? []).map((bot) => ({
      id: bot.id,
      name: bot.name ?? bot.id,
      ...(bot.description ? { description: bot.description } : {}),
      versions: (bot.versions ?? []).map((v) => ({
        version: v.version,
        supportedLanguages: (v.supportedLanguages ?? []).map((l) => l.toLowerCase()),
        intents: (v.intents ?? []).map((intent) => {
          const slots = Object.values(intent.slots ?? {});
          return slots.length === 0
            ? { name: intent.name }
            : { name: intent.name, slots: Object.fromEntries(slots.map((s) => [s.name, { name: s.name, type: canonicalSlotType(s.type) }])) };
        }),
      })),
    })),
  };
}

export function toKeyed(list: BotList): KeyedBots {
  const keyed: KeyedBots = {};
  for (const bot of normalizeBotList(list).chatBots) {
    keyed[bot.id] = {
      name: bot.name,
      ...(bot.description ? { description: bot.description } : {}),
      versions: Object.fromEntries(
        bot.versions.map((v) => [
          v.version,
          {
            supportedLanguages: v.supportedLanguages,
            intents: Object.fromEntries(
              v.intents.map((i) => [i.name, { slots: Object.fromEntries(Object.values(i.slots ?? {}).map((s) => [s.name, s.type])) }]),
            ),
          },
        ]),
      ),
    };
  }
  return keyed;
}

/** Back to the API body; bots by id and versions in numeric order, as buildBotList orders them. */
export function fromKeyed(keyed: KeyedBots): BotList {
  return {
    chatBots: Object.keys(keyed)
      .sort(compareText)
      .map((id): BotConnectorBot => {
        const bot = keyed[id] as KeyedBot;
        return {
          id,
          name: bot.name,
          ...(bot.description ? { description: bot.description } : {}),
          versions: Object.keys(bot.versions)
            .sort(compareVersion)
            .map((version) => {
              const v = bot.versions[version] as KeyedVersion;
              return {
                version,
                supportedLanguages: [...v.supportedLanguages],
                intents: Object.entries(v.intents).map(([name, intent]) => {
                  const slots = Object.entries(intent.slots);
                  return slots.length === 0 ? { name } : { name, slots: Object.fromEntries(slots.map(([s, type]) => [s, { name: s, type }])) };
                }),
              };
            }),
        };
      }),
  };
}

const list = (values: readonly string[]) => (values.length === 0 ? "(none)" : values.join(", "));

/**
 * What changes between two bot lists, one line per bot, version, intent or slot, in a stable order.
 * An empty result means Genesys would hold the same list.
 */
export function diffBots(before: KeyedBots, after: KeyedBots): string[] {
  const changes: string[] = [];
  const ids = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(compareText);
  for (const id of ids) {
    const a = before[id];
    const b = after[id];
    const bot = `bot "${id}"`;
    if (!a && b) {
      changes.push(`${bot} added with version(s) ${list(Object.keys(b.versions).sort(compareVersion))}`);
      continue;
    }
    if (a && !b) {
      changes.push(`${bot} removed`);
      continue;
    }
    if (!a || !b) continue;
    if (a.name !== b.name) changes.push(`${bot}: name "${a.name}" → "${b.name}"`);
    if ((a.description ?? "") !== (b.description ?? "")) changes.push(`${bot}: description changed`);
    const versions = [...new Set([...Object.keys(a.versions), ...Object.keys(b.versions)])].sort(compareVersion);
    for (const version of versions) {
      const va = a.versions[version];
      const vb = b.versions[version];
      const where = `${bot} version "${version}"`;
      if (!va && vb) {
        changes.push(`${where} added with intents ${list(Object.keys(vb.intents))}`);
        continue;
      }
      if (va && !vb) {
        changes.push(`${where} removed`);
        continue;
      }
      if (!va || !vb) continue;
      if (va.supportedLanguages.join(",") !== vb.supportedLanguages.join(",")) {
        changes.push(`${where}: languages ${list(va.supportedLanguages)} → ${list(vb.supportedLanguages)}`);
      }
      const intents = [...new Set([...Object.keys(va.intents), ...Object.keys(vb.intents)])].sort(compareText);
      for (const name of intents) {
        const ia = va.intents[name];
        const ib = vb.intents[name];
        const iwhere = `${where} intent "${name}"`;
        if (!ia && ib) {
          changes.push(`${iwhere} added${Object.keys(ib.slots).length ? ` with slots ${list(Object.keys(ib.slots))}` : ""}`);
          continue;
        }
        if (ia && !ib) {
          changes.push(`${iwhere} removed`);
          continue;
        }
        if (!ia || !ib) continue;
        const slots = [...new Set([...Object.keys(ia.slots), ...Object.keys(ib.slots)])].sort(compareText);
        for (const slot of slots) {
          const sa = ia.slots[slot];
          const sb = ib.slots[slot];
          if (sa === sb) continue;
          if (!sa) changes.push(`${iwhere}: slot "${slot}" added (${String(sb)})`);
          else if (!sb) changes.push(`${iwhere}: slot "${slot}" removed`);
          else changes.push(`${iwhere}: slot "${slot}" type ${sa} → ${sb}`);
        }
      }
    }
  }
  return changes;
}

/**
 * The list to PUT: every bot of `current` that belongs to someone else (not in `managedIds` and not
 * desired), then the desired bots. PUT replaces the whole list, so skipping this would delete bots that
 * other stacks or people registered on the same integration.
 */
export function mergeBotLists(current: BotList, desired: BotList, managedIds: Iterable<string>): BotList {
  const ours = new Set([...managedIds, ...desired.chatBots.map((b) => b.id)]);
  const foreign = normalizeBotList(current).chatBots.filter((b) => !ours.has(b.id));
  return { chatBots: [...foreign, ...normalizeBotList(desired).chatBots].sort((x, y) => compareText(x.id, y.id)) };
}

/** The bots of `current` whose ids are in `ids`. */
export function pickBots(current: BotList, ids: Iterable<string>): BotList {
  const wanted = new Set(ids);
  return { chatBots: normalizeBotList(current).chatBots.filter((b) => wanted.has(b.id)) };
}

/** `current` without the bots whose ids are in `ids`. */
export function withoutBots(current: BotList, ids: Iterable<string>): BotList {
  const unwanted = new Set(ids);
  return { chatBots: normalizeBotList(current).chatBots.filter((b) => !unwanted.has(b.id)) };
}
