import { type BotList } from "../../bots/botList";
import { type DigitalBot, type DigitalBotManifest } from "./types";

/** The manifest's limit on `provider` (and on ids and names, which the definitions' loader already enforces). */
export const PROVIDER_MAX_LENGTH = 100;

/** Why a provider name cannot go into the manifest, or undefined when it can. */
export function providerProblem(provider: string): string | undefined {
  if (provider.length === 0 || provider.length > PROVIDER_MAX_LENGTH) return `must be 1 to ${PROVIDER_MAX_LENGTH} characters`;
  if (provider.trim() !== provider) return "must not start or end with whitespace";
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(provider)) return "must be displayable characters only";
  return undefined;
}

/**
 * The Digital Bot Connector's manifest, derived from the v1 bot list (itself derived from the bot definitions), so
 * the two protocols can never describe the bots differently: the same bots, ids, names, versions, languages,
 * intents and slots, in the same order. v2 adds `provider` and always sends `description` (the specification's
 * table requires it; a bot without one is described by its name); slots become the intents' `entities` list.
 */
export function digitalBotManifest(list: BotList, provider: string): DigitalBotManifest {
  return {
    entities: list.chatBots.map(
      (bot): DigitalBot => ({
        id: bot.id,
        name: bot.name,
        provider,
        description: bot.description ?? bot.name,
        versions: bot.versions.map((v) => ({
          version: v.version,
          supportedLanguages: [...v.supportedLanguages],
          intents: v.intents.map((intent) => {
            const slots = Object.values(intent.slots ?? {});
            return slots.length === 0 ? { name: intent.name } : { name: intent.name, entities: slots.map((s) => ({ name: s.name, type: s.type })) };
          }),
        })),
      }),
    ),
  };
}
