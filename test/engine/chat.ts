/**
 * Drives runTurn the way the service does: one TurnRequest per customer turn, the session state stored
 * between turns as JSON (as the session stores keep it). Every response is checked against the protocol
 * rules that hold for all turns, so each conversation test checks them too.
 */
import { type RunnableBot, runTurn, type TurnOutcome } from "../../service/src/engine/engine";
import { type SessionState } from "../../service/src/engine/state";
import { BOT_STATES, type BotResponse, type TurnInput, type TurnRequest } from "../../service/src/protocol/types";

export const NOW = new Date("2026-03-10T10:00:00Z");

export function turnRequest(input: TurnInput, overrides: Partial<TurnRequest> = {}): TurnRequest {
  return {
    botSessionId: "session-1",
    genesysConversationId: "conversation-1",
    chatBotId: "acme-support",
    botId: "Acme Support",
    botVersion: "1.0",
    languageCode: "en-us",
    sessionTimeoutMinutes: 4320,
    input,
    parameters: {},
    correlationId: undefined,
    ...overrides,
  };
}

export interface Button {
  text: string;
  payload: string;
}

/** Every clickable button of a response: quick replies and card/carousel postbacks (default actions included). */
export function buttons(response: BotResponse): Button[] {
  const out: Button[] = [];
  for (const m of response.replymessages) {
    for (const c of m.content ?? []) {
      if (c.contentType === "QuickReply") out.push({ text: c.quickReply.text, payload: c.quickReply.payload });
      else {
        const cards = c.contentType === "Card" ? [c.card] : c.carousel.cards;
        for (const card of cards) {
          for (const a of [card.defaultAction, ...card.actions]) if (a?.payload !== undefined) out.push({ text: a.text, payload: a.payload });
        }
      }
    }
  }
  return out;
}

/** The texts of a response: message texts, then card titles. */
export function texts(response: BotResponse): string[] {
  const out: string[] = [];
  for (const m of response.replymessages) {
    if (m.text !== undefined) out.push(m.text);
    for (const c of m.content ?? []) {
      if (c.contentType === "Card") out.push(c.card.title);
      if (c.contentType === "Carousel") out.push(...c.carousel.cards.map((card) => card.title));
    }
  }
  return out;
}

/** Protocol rules every turn must keep, whatever the conversation did. */
export function expectValidOutcome(bot: RunnableBot, outcome: TurnOutcome): void {
  const r = outcome.response;
  expect(BOT_STATES).toContain(r.botState);
  expect(Array.isArray(r.replymessages)).toBe(true);
  for (const m of r.replymessages) {
    expect(["Text", "Structured"]).toContain(m.type);
    if (m.type === "Text") expect(typeof m.text).toBe("string");
    else expect(m.content?.length).toBeGreaterThan(0);
    if (m.text !== undefined) expect(m.text.length).toBeLessThanOrEqual(bot.textLimit);
    const quickReplies = (m.content ?? []).filter((c) => c.contentType === "QuickReply");
    expect(quickReplies.length).toBeLessThanOrEqual(10);
  }
  const intents = bot.definition.intents;
  if (r.botState === "MoreData") {
    // The v1 loop guard (docs/genesys-bot-connector.md#gotchas): no intent (nor slots) on MoreData turns.
    expect(r.intent).toBeUndefined();
    expect(r.slotValues).toBeUndefined();
    expect(r.errorInfo).toBeUndefined();
    expect(outcome.state.ended).toBeUndefined();
    expect(outcome.state.awaiting).toBeDefined();
    expect(Object.keys(bot.definition.nodes)).toContain(outcome.state.awaiting?.node);
  } else {
    expect(outcome.state.ended).toBe(r.botState);
    expect(outcome.state.awaiting).toBeUndefined();
  }
  if (r.botState === "Complete") {
    expect(Object.keys(intents)).toContain(r.intent);
    const declared = intents[r.intent as string]?.slots ?? {};
    for (const slot of Object.keys(r.slotValues ?? {})) expect(Object.keys(declared)).toContain(slot);
  }
  if (r.botState === "Failed") {
    expect(r.intent).toBeUndefined();
    expect(r.errorInfo).toEqual({ errorCode: expect.any(String), errorMessage: expect.any(String) });
  }
  for (const v of Object.values(r.parameters ?? {})) expect(typeof v).toBe("string");
  // Buttons carry the question they answer, or "_" when the session ended.
  const tag = r.botState === "MoreData" ? outcome.state.awaiting?.node : "_";
  for (const b of buttons(r)) expect(b.payload.startsWith(`${tag}#`)).toBe(true);
  expect(JSON.parse(JSON.stringify(outcome.state))).toEqual(outcome.state);
}

export interface ChatOptions {
  languageCode?: string;
  parameters?: Record<string, string>;
  now?: Date;
  state?: SessionState;
}

/** One bot session: keeps the stored state between turns and the last outcome. */
export class Chat {
  state: SessionState | undefined;
  last!: TurnOutcome;
  private readonly languageCode: string | undefined;
  private parameters: Record<string, string>;
  private readonly now: Date;

  constructor(
    readonly bot: RunnableBot,
    options: ChatOptions = {},
  ) {
    this.languageCode = "languageCode" in options ? options.languageCode : "en-us";
    this.parameters = options.parameters ?? {};
    this.now = options.now ?? NOW;
    this.state = options.state;
  }

  turn(input: TurnInput, overrides: Partial<TurnRequest> = {}): TurnOutcome {
    const request = turnRequest(input, { languageCode: this.languageCode, parameters: this.parameters, ...overrides });
    // Architect session variables arrive on the first turn; later turns usually carry none.
    this.parameters = {};
    this.last = runTurn(this.bot, this.state, request, { now: this.now });
    expectValidOutcome(this.bot, this.last);
    this.state = JSON.parse(JSON.stringify(this.last.state)) as SessionState;
    return this.last;
  }

  send(text: string, overrides: Partial<TurnRequest> = {}): TurnOutcome {
    return this.turn({ kind: "text", text }, overrides);
  }

  /** Clicks the button of the last response whose label matches. */
  click(label: string | RegExp): TurnOutcome {
    const button = this.button(label);
    return this.turn({ kind: "button", text: button.text, payload: button.payload });
  }

  button(label: string | RegExp): Button {
    const all = buttons(this.last.response);
    const found = all.find((b) => (typeof label === "string" ? b.text === label : label.test(b.text)));
    if (!found) throw new Error(`no button ${String(label)} in ${JSON.stringify(all.map((b) => b.text))}`);
    return found;
  }

  get texts(): string[] {
    return texts(this.last.response);
  }

  get buttonLabels(): string[] {
    return buttons(this.last.response).map((b) => b.text);
  }
}
