import { type Channel } from "./definition";

/** Limits of the Genesys bot list (BotList model and Architect), enforced when definitions load. */
export const GENESYS_LIMITS = {
  botsPerIntegration: 50,
  versionsPerBot: 50,
  intentsPerVersion: 50,
  slotsPerIntent: 50,
  nameLength: 100,
  descriptionLength: 256,
  cardsPerCarousel: 10,
  /** Not documented by Genesys; kept at 10 so every channel renders them. */
  quickRepliesPerMessage: 10,
} as const;

/** The longest text a message may carry on each channel (Genesys agent-side limits; SMS is one long message). */
export const CHANNEL_TEXT_LIMITS: Record<Channel, number> = {
  webmessaging: 4000,
  open: 4000,
  whatsapp: 4000,
  facebook: 2000,
  apple: 2000,
  instagram: 1000,
  sms: 765,
};

export function textLimitFor(channels: readonly Channel[]): number {
  return Math.min(...channels.map((c) => CHANNEL_TEXT_LIMITS[c]));
}
