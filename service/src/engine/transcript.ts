/**
 * A short transcript of the session for hand-over context: the last turns, each text cut short. Kept in the
 * session only when hand-over context is enabled (it holds what the customer wrote), never logged.
 */
import { type ReplyMessage } from "../protocol/types";

export interface TranscriptLimits {
  /** Turns kept (the most recent). */
  turns: number;
  /** Longest text kept of one message; longer ones end with an ellipsis. */
  textChars: number;
}

export interface TranscriptEntry {
  /** What the customer wrote (or the label of the button clicked); empty for an automatic start. */
  customer: string;
  /** What the bot sent: message texts and card titles. */
  bot: string[];
}

/** Bot texts kept per turn: a turn rarely sends more, and the transcript stays bounded whatever a bot does. */
const BOT_TEXTS_PER_TURN = 5;

export function truncate(text: string, max: number): string {
  return text.length > max ? text.slice(0, Math.max(0, max - 1)) + "…" : text;
}

function botTexts(replies: readonly ReplyMessage[]): string[] {
  const out: string[] = [];
  for (const m of replies) {
    if (m.text) out.push(m.text);
    for (const c of m.content ?? []) {
      if (c.contentType === "Card") out.push(c.card.title);
      else if (c.contentType === "Carousel") out.push(c.carousel.cards.map((card) => card.title).join(" | "));
    }
  }
  return out;
}

/** The transcript with this turn appended, bounded by the limits. */
export function appendTranscript(
  previous: readonly TranscriptEntry[] | undefined,
  customer: string,
  replies: readonly ReplyMessage[],
  limits: TranscriptLimits,
): TranscriptEntry[] {
  const entry: TranscriptEntry = {
    customer: truncate(customer, limits.textChars),
    bot: botTexts(replies)
      .slice(0, BOT_TEXTS_PER_TURN)
      .map((t) => truncate(t, limits.textChars)),
  };
  return limits.turns > 0 ? [...(previous ?? []), entry].slice(-limits.turns) : [];
}
