/**
 * Builders shared by the definition and engine tests: a minimal valid bot as a plain object (so a
 * test can break exactly one thing), the sample bot, and helpers that capture located issues.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { stringify } from "yaml";
import { type BotDefinition } from "../../service/src/bots/definition";
import { textLimitFor } from "../../service/src/bots/limits";
import { BotDefinitionError, type LocatedIssue, parseBotDefinition } from "../../service/src/bots/load";
import { type RunnableBot } from "../../service/src/engine/engine";

export const SAMPLE_BOTS_DIR = path.join(__dirname, "..", "..", "service", "bots");
export const SAMPLE_BOT_FILE = path.join(SAMPLE_BOTS_DIR, "acme-support.yaml");

export type Json = Record<string, unknown>;

/** The smallest definition the loader accepts: one say node leading to one complete node. */
export function minimalBot(): Json {
  return {
    id: "mini",
    name: "Mini",
    version: "1",
    defaultLanguage: "en",
    languages: ["en"],
    intents: { Done: {} },
    start: "hello",
    nodes: {
      hello: { say: [{ text: "Hi" }], next: "end" },
      end: { complete: { intent: "Done" } },
    },
  };
}

/**
 * The bot with the default hand-over intent `Handover` declared: every bot with a question (its last miss hands
 * over), a hand-over without intent or an upstream agent needs one.
 */
export function withDefaultHandover(bot: Json): Json {
  return { ...bot, intents: { ...(bot.intents as Json), Handover: { handover: true } }, defaultHandoverIntent: "Handover" };
}

/**
 * A bot whose start node is the given question node; answering it completes with `Done`, running out of attempts
 * hands over with the default hand-over intent `Handover`.
 */
export function questionBot(question: Json, kind: "question" | "optionalQuestion" = "question"): Json {
  const bot = withDefaultHandover(minimalBot());
  bot.start = "ask";
  bot.nodes = { ask: { [kind]: question, next: "end" }, end: { complete: { intent: "Done" } } };
  return bot;
}

export function toYaml(definition: unknown): string {
  return stringify(definition, { lineWidth: 0 });
}

export function parseObject(definition: unknown, file = "inline.yaml"): BotDefinition {
  return parseBotDefinition(toYaml(definition), file);
}

/** The issues a parse reports; fails the test when it parses or throws anything else. */
export function issuesOf(parse: () => unknown): LocatedIssue[] {
  let result: unknown;
  try {
    result = parse();
  } catch (err) {
    if (err instanceof BotDefinitionError) return err.issues;
    throw err;
  }
  throw new Error(`expected a BotDefinitionError, but it parsed: ${JSON.stringify(result).slice(0, 200)}`);
}

export const objectIssues = (definition: unknown, file = "inline.yaml") => issuesOf(() => parseObject(definition, file));
export const yamlIssues = (source: string, file = "inline.yaml") => issuesOf(() => parseBotDefinition(source, file));

export function loadSampleBot(): BotDefinition {
  return parseBotDefinition(readFileSync(SAMPLE_BOT_FILE, "utf8"), SAMPLE_BOT_FILE);
}

export function runnable(definition: BotDefinition): RunnableBot {
  return { definition, textLimit: textLimitFor(definition.channels ?? ["webmessaging"]) };
}

/** `count` entries named `<prefix>1..n` with the same value: big inputs for the limit tests. */
export function entries<T>(prefix: string, count: number, value: (i: number) => T): Record<string, T> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`${prefix}${i + 1}`, value(i + 1)]));
}
