/**
 * Scripted sessions of the sample bot, as Genesys would send them: each ends Complete. Used by the
 * benchmark and the load-correctness test so load is realistic multi-turn traffic over many sessions.
 */
export const SCRIPTS: ReadonlyArray<readonly string[]> = [
  ["", "return", "A-12345", "damaged", "2", "credit", "tomorrow", "ada@example.com", "skip", "yes"],
  ["", "track", "A-12345"],
  ["Hi", "track my order", "nope", "A-12340"],
  ["", "agent"],
  ["", "return", "A-55555", "wrong size", "1", "card", "tomorrow", "bo@example.com", "The box is heavy", "no", "Nothing, thanks"],
];

export interface ScriptedTurn {
  sessionId: string;
  text: string;
  /** Index of the turn within its script. */
  step: number;
  last: boolean;
}

/** The body Genesys sends for one customer turn of the sample bot. */
export function turnRequestBody(sessionId: string, text: string, languageCode = "en-us"): string {
  return JSON.stringify({
    botId: "Acme Support",
    botVersion: "1.0",
    botSessionId: sessionId,
    genesysConversationId: `conv-${sessionId}`,
    languageCode,
    botSessionTimeout: 4320,
    chatBot: { id: "acme-support", name: "Acme Support" },
    inputMessage: { type: "Text", text },
    ...(text === "" || text === "Hi" ? { parameters: { customerName: "Ada", customerTier: "gold" } } : {}),
  });
}

/**
 * An endless stream of turns for one connection: script after script, each with a fresh session id,
 * so load spreads over many sessions the way a contact center's does.
 */
export class TurnStream {
  private script = 0;
  private step = 0;
  private session = 0;
  private sessionId: string;

  constructor(private readonly prefix: string) {
    this.sessionId = `${prefix}-0`;
  }

  next(): ScriptedTurn {
    const script = SCRIPTS[this.script % SCRIPTS.length] as readonly string[];
    const turn = { sessionId: this.sessionId, text: script[this.step] as string, step: this.step, last: this.step === script.length - 1 };
    this.step++;
    if (this.step >= script.length) {
      this.step = 0;
      this.script++;
      this.sessionId = `${this.prefix}-${++this.session}`;
    }
    return turn;
  }
}
