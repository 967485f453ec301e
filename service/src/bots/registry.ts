import { preparePhrases, type RunnableBot } from "../engine/engine";
import { type LoadedBot } from "./load";
import { textLimitFor } from "./limits";

export type Resolution =
  | { ok: true; bot: RunnableBot }
  | { ok: false; reason: "unknown_bot" | "unknown_version"; message: string };

export interface BotReference {
  chatBotId: string | undefined;
  botId: string;
  botVersion: string;
}

/** The loaded bots, found the way Genesys names them: `chatBot.id`, else `botId` as id or as name. */
export class BotRegistry {
  private readonly byId = new Map<string, Map<string, RunnableBot>>();
  private readonly idByName = new Map<string, string>();

  constructor(bots: readonly LoadedBot[]) {
    for (const { definition } of bots) {
      preparePhrases(definition);
      const versions = this.byId.get(definition.id) ?? new Map<string, RunnableBot>();
      versions.set(definition.version, { definition, textLimit: textLimitFor(definition.channels ?? ["webmessaging"]) });
      this.byId.set(definition.id, versions);
      this.idByName.set(definition.name.toLowerCase(), definition.id);
    }
  }

  get size(): number {
    return this.byId.size;
  }

  /** Every loaded bot version. */
  all(): RunnableBot[] {
    return [...this.byId.values()].flatMap((versions) => [...versions.values()]);
  }

  resolve(ref: BotReference): Resolution {
    const id =
      (ref.chatBotId !== undefined && this.byId.has(ref.chatBotId) ? ref.chatBotId : undefined) ??
      (this.byId.has(ref.botId) ? ref.botId : undefined) ??
      this.idByName.get(ref.botId.toLowerCase());
    const versions = id === undefined ? undefined : this.byId.get(id);
    if (id === undefined || !versions) {
      return { ok: false, reason: "unknown_bot", message: `no bot with id "${ref.chatBotId ?? ref.botId}" or name "${ref.botId}" is loaded` };
    }
    const bot = versions.get(ref.botVersion);
    if (!bot) {
      return { ok: false, reason: "unknown_version", message: `bot "${id}" has no version "${ref.botVersion}" (loaded: ${[...versions.keys()].join(", ")})` };
    }
    return { ok: true, bot };
  }
}
