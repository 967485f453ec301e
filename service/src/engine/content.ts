import { type CardActionDef, type CardDef, type LocalizedText, type MessageDef } from "../bots/definition";
import { localizedText } from "../bots/localize";
import { renderTemplate, type TemplateScope } from "../bots/template";
import { type Card, type CardAction, type QuickReplyContent, type ReplyMessage } from "../protocol/types";

export interface RenderContext {
  language: string;
  defaultLanguage: string;
  scope: TemplateScope;
  /** Longest text the bot's channels accept; longer rendered text is cut with an ellipsis. */
  textLimit: number;
}

export function renderText(text: LocalizedText, ctx: RenderContext, limit = ctx.textLimit): string {
  const rendered = renderTemplate(localizedText(text, ctx.language, ctx.defaultLanguage), ctx.scope);
  return rendered.length > limit ? rendered.slice(0, limit - 1) + "…" : rendered;
}

/** Turns one text of a message into what is sent, within a limit (labels 128, titles 256, descriptions 1024). */
type TextOf = (text: LocalizedText, limit: number) => string;

function buildAction(action: CardActionDef, text: TextOf): CardAction {
  const label = text(action.label, 128);
  return action.type === "link" ? { type: "Link", text: label, url: action.url } : { type: "Postback", text: label, payload: action.payload };
}

function buildCard(card: CardDef, text: TextOf): Card {
  return {
    title: text(card.title, 256),
    ...(card.description ? { description: text(card.description, 1024) } : {}),
    ...(card.image ? { image: card.image } : {}),
    ...(card.defaultAction ? { defaultAction: buildAction(card.defaultAction, text) } : {}),
    actions: card.actions.map((a) => buildAction(a, text)),
  };
}

export function quickReply(text: string, payload: string, image?: string): QuickReplyContent {
  return { contentType: "QuickReply", quickReply: { text, payload, ...(image ? { image } : {}), action: "Message" } };
}

function buildMessages(defs: readonly MessageDef[], text: TextOf, textLimit: number): ReplyMessage[] {
  return defs.map((m): ReplyMessage => {
    if (m.card) return { type: "Structured", content: [{ contentType: "Card", card: buildCard(m.card, text) }] };
    if (m.carousel) return { type: "Structured", content: [{ contentType: "Carousel", carousel: { cards: m.carousel.map((c) => buildCard(c, text)) } }] };
    const body = m.text === undefined ? undefined : text(m.text, textLimit);
    if (!m.quickReplies) return { type: "Text", text: body ?? "" };
    return {
      type: "Structured",
      ...(body !== undefined ? { text: body } : {}),
      content: m.quickReplies.map((qr) => quickReply(text(qr.label, 128), qr.payload, qr.image)),
    };
  });
}

/** Renders definition messages into Bot Connector reply messages in the customer's language. */
export function renderMessages(defs: readonly MessageDef[], ctx: RenderContext): ReplyMessage[] {
  return buildMessages(defs, (text, limit) => renderText(text, ctx, limit), ctx.textLimit);
}

/**
 * Reply messages from messages whose texts are literal strings (an upstream agent's, already checked against every
 * limit): no template is evaluated in them, so `{{vars.x}}` in an agent's text stays text.
 */
export function literalMessages(defs: readonly MessageDef[]): ReplyMessage[] {
  return buildMessages(defs, (text) => (typeof text === "string" ? text : ""), Number.POSITIVE_INFINITY);
}

/** Adds quick replies to the last message when it is plain text, else as a message of their own. */
export function appendQuickReplies(messages: ReplyMessage[], replies: QuickReplyContent[]): void {
  if (replies.length === 0) return;
  const last = messages[messages.length - 1];
  if (last && last.type === "Text") {
    last.type = "Structured";
    last.content = replies;
  } else if (last && last.type === "Structured" && last.content?.every((c) => c.contentType === "QuickReply")) {
    last.content.push(...replies);
  } else {
    messages.push({ type: "Structured", content: replies });
  }
}

/**
 * Buttons are tagged with the question they answer (`<node>#<payload>`), so a click on a button of an
 * earlier question, which the customer can still see, is recognised as stale.
 */
export const TAG_SEPARATOR = "#";

export function tagPayloads(messages: ReplyMessage[], tag: string): void {
  const tagged = (p: string) => `${tag}${TAG_SEPARATOR}${p}`;
  const tagCard = (card: Card) => {
    for (const a of [card.defaultAction, ...card.actions]) if (a?.payload !== undefined) a.payload = tagged(a.payload);
  };
  for (const m of messages) {
    for (const c of m.content ?? []) {
      if (c.contentType === "QuickReply") c.quickReply.payload = tagged(c.quickReply.payload);
      else if (c.contentType === "Card") tagCard(c.card);
      else c.carousel.cards.forEach(tagCard);
    }
  }
}

export function splitPayload(payload: string): { tag?: string; payload: string } {
  const at = payload.indexOf(TAG_SEPARATOR);
  return at < 0 ? { payload } : { tag: payload.slice(0, at), payload: payload.slice(at + 1) };
}
