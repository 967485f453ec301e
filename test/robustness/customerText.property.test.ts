/**
 * Work on customer input is linear in its length (docs/robustness.md), for every function of the table in
 * customerText.ts, on adversarial strings: long runs of the characters regular expressions trip over (dots, signs,
 * spaces, digits, separators, combining marks, characters that decompose into many), alternations of them and
 * runs ending in a character that makes a match fail late.
 *
 * Counted, not timed: each regex scan is recorded (RegexWork) and
 * - every pattern that scanned the input is proven linear by a ReDoS checker (recheck);
 * - doubling the input at most doubles the characters scanned, so no pass is repeated per character.
 * Other work on the text (slicing, comparing, hashing, JSON) is linear by construction of the runtime.
 */
import fc from "fast-check";
import { CUSTOMER_TEXT_FUNCTIONS } from "./customerText";
import { MAX_DATE_TEXT } from "../../service/src/engine/dates";
import { RegexWork } from "./regexWork";

/** The default turn text cap (TURN_TEXT_MAX_CHARS): the longest text that reaches these functions in a turn. */
const CAP = 4000;
/**
 * Scans of strings this long are of the customer's text (the runs below are at least this long when it matters,
 * and the cap-length test always is); shorter ones may be of the definition's own strings, which are not input.
 */
const CUSTOMER_LENGTH = 200;

/** Pieces that make regular expressions backtrack, or text grow when normalised (U+FDFA decomposes into 18). */
const PIECES = [
  ".", "+", "-", " ", "\t", "\n", "0", "7", "a", "Z", "@", "'", "’", "|", ",", "/", "#", "{", "}", "{{", "}}",
  "\u0301", "é", "😀", "\ufdfa", "\u0000", "_", "*", "(", ")", "\\", '"', "x@y.", "1.", "1,", "1 000", "P1D", "T1H",
  ":", "-0", "A-1", "a-", "__proto__", "yes ", "agent ", "\ud800", "İ", "ß",
];

interface Run {
  piece: string;
  times: number;
}

const runs = fc.array(fc.record({ piece: fc.constantFrom(...PIECES), times: fc.integer({ min: 1, max: 600 }) }), { minLength: 1, maxLength: 4 });

/** The text of some runs, each repeated `scale` times as often, cut to `max` characters. */
function textOf(spec: readonly Run[], scale: number, max = Number.POSITIVE_INFINITY): string {
  return spec
    .map((r) => r.piece.repeat(r.times * scale))
    .join("")
    .slice(0, max);
}

interface Work {
  /** Characters scanned by regular expressions, summed over scans. */
  chars: number;
  scans: number;
}

function workOf(work: RegexWork, fn: () => unknown): Work {
  work.clear();
  work.measure(fn);
  return { chars: work.scans.reduce((sum, s) => sum + s.length, 0), scans: work.scans.length };
}

/**
 * Regex work, in characters scanned, that a function with an input cap may do on any text: a constant (the cap's
 * square, four times over). The date parser (chrono) scans a short text more than linearly, but never more than
 * MAX_DATE_TEXT characters of it.
 */
const cappedWork = (cap: number) => 4 * cap * cap;

/**
 * What doubling the text may add beyond doubling the work: a little for fixed costs, and one capped date parse
 * (any function that reaches a date question may run one per turn). A pass repeated per character over texts of
 * thousands of characters, as the runs below make, costs millions.
 */
const DOUBLING_SLACK = 256 + cappedWork(MAX_DATE_TEXT);

describe.each(CUSTOMER_TEXT_FUNCTIONS)("$name: linear work on adversarial text", ({ run }) => {
  // Every scan counts here, short ones included: the sum is the work.
  const work = new RegexWork(1);

  test("every pattern that scans the text is linear, and twice the text costs at most twice the scanning", () => {
    const patterns = new RegexWork(1);
    fc.assert(
      fc.property(runs, (spec) => {
        const once = workOf(work, () => run(textOf(spec, 1)));
        const twice = workOf(work, () => run(textOf(spec, 2)));
        patterns.scans.push(...work.scans);
        // The same passes over a longer text: each may scan more characters, none may run more often per character.
        expect(twice.chars).toBeLessThanOrEqual(2 * once.chars + DOUBLING_SLACK);
      }),
      { numRuns: 25 },
    );
    expect(patterns.nonLinear(CUSTOMER_LENGTH)).toEqual([]);
  });

  test("each piece repeated up to the cap, and ending in a mismatch", () => {
    work.clear();
    work.measure(() => {
      for (const piece of PIECES) {
        const full = piece.repeat(Math.ceil(CAP / piece.length)).slice(0, CAP);
        run(full);
        run(full.slice(0, CAP - 1) + "!");
      }
    });
    expect(work.nonLinear(CUSTOMER_LENGTH)).toEqual([]);
  });
});

describe.each(CUSTOMER_TEXT_FUNCTIONS.filter((f) => f.inputCap !== undefined))("$name: work bounded by its input cap", ({ run, inputCap }) => {
  const cap = inputCap as number;
  const work = new RegexWork(1);

  test("no text up to the cap costs more than a constant, and a longer one costs no scanning at all", () => {
    fc.assert(
      fc.property(runs, (spec) => {
        const text = textOf(spec, 1);
        const { chars } = workOf(work, () => run(text));
        if (text.trim().length > cap) expect(chars).toBe(0);
        else expect(chars).toBeLessThanOrEqual(cappedWork(cap));
      }),
      { numRuns: 50 },
    );
    // Every piece at every length up to the cap: the worst short texts, not only the ones drawn above.
    for (const piece of PIECES) {
      for (let length = 1; length <= cap; length++) {
        expect(workOf(work, () => run(piece.repeat(cap).slice(0, length))).chars).toBeLessThanOrEqual(cappedWork(cap));
      }
    }
  });
});
