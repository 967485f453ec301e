/**
 * What a Genesys channel does with a bot message: the rules live here, each with its section of
 * docs/genesys-bot-connector.md, so the chat page can warn that content which looks fine in web
 * messaging would be degraded or refused elsewhere. Text limits come from the service's own table
 * (service/src/bots/limits.ts), which the bot definition is checked against as well.
 */
import { CHANNEL_TEXT_LIMITS, GENESYS_LIMITS } from "../service/src/bots/limits";
import { type Card, type ReplyMessage } from "../service/src/protocol/types";

export const CHANNELS = {
  webmessaging: "Web messaging",
  whatsapp: "WhatsApp",
  sms: "SMS",
} as const;

export type ChannelId = keyof typeof CHANNELS;

/** `refused`: Genesys or the channel does not deliver it; `degraded`: delivered differently from what the page shows. */
export type Severity = "refused" | "degraded";

export interface ChannelNotice {
  rule: string;
  severity: Severity;
  message: string;
  source: string;
}

interface Rule {
  id: string;
  channels: readonly ChannelId[];
  severity: Severity;
  source: string;
  /** The notices for one message (several when several parts break the rule). */
  check(message: ReplyMessage, channel: ChannelId): string[];
}

/** An SMS segment: 160 GSM-7 characters; longer texts are sent as several concatenated segments. */
const SMS_SEGMENT = 160;

const cardsOf = (m: ReplyMessage): Array<{ card: Card; where: string }> =>
  (m.content ?? []).flatMap((c) =>
    c.contentType === "Card" ? [{ card: c.card, where: `card "${c.card.title}"` }] : c.contentType === "Carousel" ? c.carousel.cards.map((card) => ({ card, where: `carousel card "${card.title}"` })) : [],
  );

const texts = (m: ReplyMessage): string[] => [m.text ?? "", ...cardsOf(m).map(({ card }) => card.description ?? "")].filter((t) => t !== "");

export const CHANNEL_RULES: readonly Rule[] = [
  {
    id: "text-limit",
    channels: ["webmessaging", "whatsapp", "sms"],
    severity: "refused",
    source: "genesys-bot-connector.md#channels: text limits per channel (web messaging and WhatsApp 4000, SMS 765) [15]",
    check: (m, channel) =>
      texts(m)
        .filter((t) => t.length > CHANNEL_TEXT_LIMITS[channel])
        .map((t) => `a text of ${t.length} characters is over the ${CHANNELS[channel]} limit of ${CHANNEL_TEXT_LIMITS[channel]}`),
  },
  {
    id: "sms-segments",
    channels: ["sms"],
    severity: "degraded",
    source: "genesys-bot-connector.md#channels: SMS 160 characters per message, 765 in all [15]",
    check: (m) =>
      texts(m)
        .filter((t) => t.length > SMS_SEGMENT && t.length <= CHANNEL_TEXT_LIMITS.sms)
        .map((t) => `a text of ${t.length} characters goes out as ${Math.ceil(t.length / 153)} SMS segments`),
  },
  {
    id: "sms-rich-content",
    channels: ["sms"],
    severity: "degraded",
    source: "genesys-bot-connector.md#channels: cards and carousels on web messaging, Facebook, WhatsApp and Instagram only; SMS carries text [13]",
    check: (m) => {
      const kinds = [...new Set((m.content ?? []).map((c) => c.contentType))];
      return kinds.length ? [`SMS carries text only: the ${kinds.map((k) => (k === "QuickReply" ? "quick replies" : k.toLowerCase())).join(" and ")} would not be shown as such`] : [];
    },
  },
  {
    id: "whatsapp-carousel",
    channels: ["whatsapp"],
    severity: "refused",
    source: "genesys-bot-connector.md#channels: no carousels on WhatsApp [13]",
    check: (m) => ((m.content ?? []).some((c) => c.contentType === "Carousel") ? ["WhatsApp does not support carousels"] : []),
  },
  {
    id: "whatsapp-buttons",
    channels: ["whatsapp"],
    severity: "refused",
    source: "genesys-bot-connector.md#channels: at most 3 buttons per card on WhatsApp [13]",
    check: (m) => cardsOf(m).flatMap(({ card, where }) => (card.actions.length > 3 ? [`${where} has ${card.actions.length} buttons; WhatsApp allows 3`] : [])),
  },
  {
    id: "whatsapp-link-buttons",
    channels: ["whatsapp"],
    severity: "refused",
    source: "genesys-bot-connector.md#channels: no link buttons on WhatsApp [13]",
    check: (m) =>
      cardsOf(m).flatMap(({ card, where }) => {
        const links = card.actions.filter((a) => a.type === "Link").map((a) => `"${a.text}"`);
        return links.length ? [`${where}: link button${links.length > 1 ? "s" : ""} ${links.join(", ")} not supported on WhatsApp`] : [];
      }),
  },
  {
    id: "whatsapp-default-action",
    channels: ["whatsapp"],
    severity: "degraded",
    source: "genesys-bot-connector.md#channels: default actions are ignored on WhatsApp [13]",
    check: (m) => cardsOf(m).flatMap(({ card, where }) => (card.defaultAction ? [`${where}: the default action (tap on the card) is ignored on WhatsApp`] : [])),
  },
  {
    id: "quick-reply-count",
    channels: ["webmessaging", "whatsapp"],
    severity: "degraded",
    source: "genesys-bot-connector.md#reply-messages-and-rich-content: quick-reply limits are not documented; keep to 10",
    check: (m) => {
      const n = (m.content ?? []).filter((c) => c.contentType === "QuickReply").length;
      return n > GENESYS_LIMITS.quickRepliesPerMessage ? [`${n} quick replies; more than ${GENESYS_LIMITS.quickRepliesPerMessage} may not all be shown`] : [];
    },
  },
];

/** Notices for one message on every channel. */
export function channelNotices(message: ReplyMessage): Record<ChannelId, ChannelNotice[]> {
  const out = { webmessaging: [], whatsapp: [], sms: [] } as Record<ChannelId, ChannelNotice[]>;
  for (const channel of Object.keys(CHANNELS) as ChannelId[]) {
    for (const rule of CHANNEL_RULES) {
      if (!rule.channels.includes(channel)) continue;
      for (const message_ of rule.check(message, channel)) out[channel].push({ rule: rule.id, severity: rule.severity, message: message_, source: rule.source });
    }
  }
  return out;
}

/** The rules as the chat page lists them. */
export function describeChannelRules(): Array<{ id: string; channels: readonly ChannelId[]; severity: Severity; source: string }> {
  return CHANNEL_RULES.map(({ id, channels, severity, source }) => ({ id, channels, severity, source }));
}
