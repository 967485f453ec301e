/**
 * Counts the regular-expression work done on long strings, deterministically: while recording, every
 * `RegExp.prototype.exec` (which `test`, `match`, `matchAll`, `replace`, `split` and `search` all go through once the
 * prototype is patched) that starts a scan of a string at least `minLength` long is recorded with the string's length.
 * Each pattern recorded is then checked by recheck (a ReDoS checker: automaton and fuzzing analysis), which proves
 * whether its matching time is linear in the input. Together: which patterns touched the customer's text, how many
 * scans, how long each scanned string was, and that each scan is linear.
 */
import type * as Recheck from "recheck";

// The pure JavaScript backend: no native binary, no worker threads inside jest. Set before recheck loads.
process.env.RECHECK_BACKEND ??= "pure";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { checkSync } = require("recheck") as typeof Recheck;

export interface RegexScan {
  source: string;
  flags: string;
  length: number;
}

export interface Verdict {
  status: "safe" | "vulnerable" | "unknown";
  complexity: string;
  attack?: string;
}

const verdicts = new Map<string, Verdict>();

/** recheck's verdict on a pattern (cached: the analysis takes up to a second or two). */
export function verdictOf(source: string, flags: string): Verdict {
  const key = `${flags}/${source}`;
  let verdict = verdicts.get(key);
  if (!verdict) {
    const diagnostics = checkSync(source, flags);
    verdict =
      diagnostics.status === "vulnerable"
        ? {
            status: "vulnerable",
            complexity: diagnostics.complexity.type === "polynomial" ? `polynomial of degree ${diagnostics.complexity.degree}` : diagnostics.complexity.type,
            attack: diagnostics.attack.pattern,
          }
        : diagnostics.status === "safe"
          ? { status: "safe", complexity: diagnostics.complexity.type }
          : { status: "unknown", complexity: diagnostics.error.kind };
    verdicts.set(key, verdict);
  }
  return verdict;
}

/** Records the regex scans of strings at least `minLength` long while `run` runs (synchronously or not). */
export class RegexWork {
  readonly scans: RegexScan[] = [];
  private original: RegExp["exec"] | undefined;

  constructor(private readonly minLength: number) {}

  start(): void {
    if (this.original) return;
    const original = RegExp.prototype.exec;
    this.original = original;
    const scans = this.scans;
    const minLength = this.minLength;
    RegExp.prototype.exec = function (this: RegExp, input: string) {
      const text = String(input);
      // A global or sticky regex continues its scan from lastIndex: only a scan from the start is new work.
      const fresh = !(this.global || this.sticky) || this.lastIndex === 0;
      if (fresh && text.length >= minLength) scans.push({ source: this.source, flags: this.flags, length: text.length });
      return original.call(this, text);
    };
  }

  stop(): void {
    if (this.original) RegExp.prototype.exec = this.original;
    this.original = undefined;
  }

  /** Runs `fn` while recording. */
  measure<T>(fn: () => T): T {
    this.start();
    try {
      return fn();
    } finally {
      this.stop();
    }
  }

  /**
   * The distinct patterns that scanned a string at least `minLength` long and that recheck does not prove linear,
   * with why. (Shorter scans are of the definition's own strings: templates, words, patterns' short inputs.)
   */
  nonLinear(minLength = this.minLength): Array<{ pattern: string } & Verdict> {
    const seen = new Set<string>();
    const out: Array<{ pattern: string } & Verdict> = [];
    for (const scan of this.scans) {
      if (scan.length < minLength) continue;
      const pattern = `/${scan.source}/${scan.flags}`;
      if (seen.has(pattern)) continue;
      seen.add(pattern);
      const verdict = verdictOf(scan.source, scan.flags);
      if (verdict.status !== "safe") out.push({ pattern, ...verdict });
    }
    return out;
  }

  clear(): void {
    this.scans.length = 0;
  }
}
