/**
 * The worst a message can be, through the real service: every shape of the adversarial pieces at the longest
 * text the request schema accepts (32,000 characters), at the start and at every question of the sample bot,
 * typed or as a button. Each is answered (not TURN_BUDGET_EXCEEDED), the text is cut to the turn cap
 * (TURN_TEXT_MAX_CHARS), and the regex work is counted: a maximum-length message costs no more scanning than one at
 * the cap, apart from the body's own two JSON guard scans, and every pattern that scanned it is linear.
 */
import { type NodeDef } from "../../service/src/bots/definition";
import { normalizeWords } from "../../service/src/bots/localize";
import { utteranceOf } from "../../service/src/engine/matching";
import { type SessionState } from "../../service/src/engine/state";
import { loadSampleBot } from "../bots/fixtures";
import { startService, turnBody, type TestService } from "../service/harness";
import { RegexWork } from "./regexWork";

const CAP = 4000;
const MAX_TEXT = 32_000;
const SHAPES = [".", "+", "-", " ", "0", "a", "@", "'", "1 000", "x@y.", "{{", "😀", "\ufdfa", "A-1", "yes "];

const definition = loadSampleBot();
const questions = Object.entries(definition.nodes)
  .filter(([, node]: [string, NodeDef]) => node.question ?? node.optionalQuestion)
  .map(([id]) => id);

function fill(piece: string, length: number): string {
  return piece.repeat(Math.ceil(length / piece.length)).slice(0, length);
}

/**
 * The longest text of this piece a request may carry besides `besides` bytes: 32,000 characters, or fewer when the
 * body limit (64 KiB) binds first.
 */
function longest(piece: string, besides = 0): string {
  const bytesPerChar = Buffer.byteLength(piece) / piece.length;
  return fill(piece, Math.min(MAX_TEXT, Math.floor((60_000 - besides) / bytesPerChar)));
}

function awaiting(node: string | undefined): SessionState {
  return {
    v: 1,
    botId: definition.id,
    botVersion: definition.version,
    genesysConversationId: "7c1e5d90-3a44-4b7f-8f0e-2d6a9b8c4e21",
    language: "en-us",
    params: {},
    vars: { orderNumber: "A-12345" },
    turns: 1,
    ...(node ? { awaiting: { node, attempts: 0 } } : {}),
  };
}

let svc: TestService;
beforeAll(async () => {
  svc = await startService({ TURN_TEXT_MAX_CHARS: String(CAP), LOG_LEVEL: "warn" });
  // The bot's own phrases are normalised once per language, on the first turn that compares against them: that
  // one-time work on the definition is not the customer's, so it is done before anything is measured.
  for (const node of [undefined, ...questions]) {
    const base = turnBody();
    await svc.service.store.save(base.botSessionId as string, awaiting(node), { expectedVersion: undefined, ttlSeconds: 600 });
    expect((await svc.post(JSON.stringify({ ...base, inputMessage: { type: "Text", text: "warm up" } }))).status).toBe(200);
  }
});
afterAll(() => svc.close());

const work = new RegexWork(1);
const patterns = new RegexWork(1);

/** Posts one turn at the given question and returns the answer and the characters regexes scanned for it. */
async function turnAt(node: string | undefined, inputMessage: unknown): Promise<{ body: Record<string, unknown>; chars: number; bodyLength: number }> {
  const base = turnBody();
  await svc.service.store.save(base.botSessionId as string, awaiting(node), { expectedVersion: undefined, ttlSeconds: 600 });
  const raw = JSON.stringify({ ...base, inputMessage });
  // normalizeWords and utteranceOf keep their last result; each measured turn starts without them, so both turns
  // of a comparison pay for their own text.
  normalizeWords(`reset ${base.botSessionId as string}`);
  utteranceOf(`reset ${base.botSessionId as string}`, "en-us");
  work.clear();
  work.start();
  let res;
  try {
    res = await svc.post(raw);
  } finally {
    work.stop();
  }
  patterns.scans.push(...work.scans);
  expect(res.status).toBe(200);
  return { body: res.body, chars: work.scans.reduce((sum, s) => sum + s.length, 0), bodyLength: raw.length };
}

describe("a maximum-length message of every shape, at every question", () => {
  test.each(SHAPES.map((s) => [JSON.stringify(s), s] as const))("typed: %s", async (_label, piece) => {
    for (const node of [undefined, ...questions]) {
      const full = await turnAt(node, { type: "Text", text: longest(piece) });
      const atCap = await turnAt(node, { type: "Text", text: fill(piece, CAP) });
      for (const answer of [full.body, atCap.body]) {
        expect(["MoreData", "Complete", "Failed"]).toContain(answer.botState);
        expect((answer.errorInfo as { errorCode?: string } | undefined)?.errorCode).not.toBe("TURN_BUDGET_EXCEEDED");
      }
      // Cut at the entry: the turn answers what the first CAP characters say, exactly as for a message of CAP.
      expect(full.body).toEqual(atCap.body);
      // The JSON body guard (secure-json-parse) scans the raw body twice before the turn sees it; nothing else
      // may scan more of a longer message.
      expect(full.chars).toBeLessThanOrEqual(atCap.chars + 2 * full.bodyLength);
    }
  });

  test.each(SHAPES.map((s) => [JSON.stringify(s), s] as const))("a button with the longest text and payload: %s", async (_label, piece) => {
    for (const node of [undefined, ...questions]) {
      const tag = `${node ?? "menu"}#`;
      // The schema's longest button text and payload (4,000 each); the message text is as long as the body allows.
      const { body } = await turnAt(node, {
        type: "Structured",
        text: longest(piece, 2 * Buffer.byteLength(fill(piece, 4000))),
        content: [{ contentType: "ButtonResponse", buttonResponse: { type: "QuickReply", text: fill(piece, 4000), payload: tag + fill(piece, 4000 - tag.length) } }],
      });
      expect(["MoreData", "Complete", "Failed"]).toContain(body.botState);
      expect((body.errorInfo as { errorCode?: string } | undefined)?.errorCode).not.toBe("TURN_BUDGET_EXCEEDED");
    }
  });

  test("every pattern that scanned those messages is linear; the cut is counted", async () => {
    expect(patterns.nonLinear(200)).toEqual([]);
    const metrics = await (await fetch(`${svc.url}/metrics`)).text();
    const cut = Number(/botconnector_limits_reached_total\{limit="turn_text"\} (\d+)/.exec(metrics)?.[1] ?? 0);
    // Every typed message longer than the cap (the button turns' button text and payload are within it).
    expect(cut).toBe(SHAPES.length * (questions.length + 1));
  });
});
