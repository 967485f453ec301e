import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { type ErrorObject, type ValidateFunction } from "ajv";
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Document } from "yaml";
import generatedValidator from "../generated/botDefinitionValidator";
import { type BotDefinition, SLOT_TYPES, type SlotType } from "./definition";
import { GENESYS_LIMITS } from "./limits";
import { pointer, validateDefinition } from "./validate";

/** A problem found while loading definitions, located by file, path inside the file and line. */
export interface LocatedIssue {
  file: string;
  path: string;
  line?: number;
  message: string;
}

export function formatIssue(issue: LocatedIssue): string {
  const where = issue.line === undefined ? issue.file : `${issue.file}:${issue.line}`;
  return `${where} ${issue.path}: ${issue.message}`;
}

export class BotDefinitionError extends Error {
  constructor(readonly issues: LocatedIssue[]) {
    super(`invalid bot definition${issues.length === 1 ? "" : "s"}:\n` + issues.map((i) => "  " + formatIssue(i)).join("\n"));
    this.name = "BotDefinitionError";
  }
}

/**
 * The committed JSON Schema (service/schema/bot-definition.schema.json, also used by editors), compiled
 * ahead of time by `npm run generate` so that starting the service compiles nothing.
 */
const validateSchema = generatedValidator as unknown as ValidateFunction<BotDefinition>;

function schemaMessage(e: ErrorObject): { path: string; message: string } {
  const params = e.params as Record<string, unknown>;
  // An error inside propertyNames is about a key: point at the key, not at the object holding it.
  const at = e.propertyName === undefined ? e.instancePath : e.instancePath + pointer([e.propertyName]);
  switch (e.keyword) {
    case "additionalProperties":
      return { path: e.instancePath + pointer([String(params.additionalProperty)]), message: "is not a known property" };
    case "required":
      return { path: at || "/", message: `missing required property "${String(params.missingProperty)}"` };
    case "enum":
      return { path: at, message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}` };
    case "pattern":
      // The Genesys name rule in words: its regular expression helps nobody.
      if (e.schemaPath.endsWith("/genesysName/pattern")) return { path: at, message: "must not start or end with whitespace or contain control characters" };
      return { path: at, message: e.message ?? e.keyword };
    default:
      return { path: at || "/", message: e.message ?? e.keyword };
  }
}

/**
 * The line of what a JSON pointer names: the line of its key inside a map (a block value starts a line
 * later), of the item inside a list, or of the nearest existing ancestor when it is missing.
 */
function lineOf(doc: Document, counter: LineCounter, jsonPointer: string): number {
  const segments = jsonPointer
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .filter((s) => s !== "");
  let node: unknown = doc.contents;
  let line = isNode(node) && node.range ? counter.linePos(node.range[0]).line : 1;
  for (const segment of segments) {
    let next: unknown;
    let start: number | undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === segment);
      if (!pair) break;
      start = isNode(pair.key) ? pair.key.range?.[0] : undefined;
      next = pair.value;
    } else if (isSeq(node) && /^\d+$/.test(segment)) {
      next = node.items[Number(segment)];
      start = isNode(next) ? next.range?.[0] : undefined;
    } else {
      break;
    }
    if (start === undefined) break;
    line = counter.linePos(start).line;
    node = next;
  }
  return line;
}

/** The line of a JSON pointer in a definition's source text. */
function lineIn(source: string, jsonPointer: string): number {
  const counter = new LineCounter();
  return lineOf(parseDocument(source, { lineCounter: counter }), counter, jsonPointer);
}

function normalizeSlotType(type: string): SlotType {
  const found = SLOT_TYPES.find((t) => t.toLowerCase() === type.toLowerCase());
  if (!found) throw new Error(`unknown slot type ${type}`);
  return found;
}

function normalize(def: BotDefinition): BotDefinition {
  // fromEntries defines own properties: an intent named "__proto__" stays an intent.
  const intents: BotDefinition["intents"] = Object.fromEntries(
    Object.entries(def.intents).map(([name, intent]) => {
      const slots = intent.slots
        ? Object.fromEntries(Object.entries(intent.slots).map(([s, t]) => [s, normalizeSlotType(t)]))
        : undefined;
      return [name, { ...intent, ...(slots ? { slots } : {}) }];
    }),
  );
  return { ...def, channels: def.channels ?? ["webmessaging"], intents };
}

/**
 * Parses and validates one definition (YAML or JSON text). Throws BotDefinitionError naming the file,
 * the path inside it and the line of every problem.
 */
export function parseBotDefinition(source: string, file: string): BotDefinition {
  const counter = new LineCounter();
  const doc = parseDocument(source, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new BotDefinitionError(
      doc.errors.map((e) => ({ file, path: "/", line: counter.linePos(e.pos[0]).line, message: `YAML: ${e.message.split("\n")[0]}` })),
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // Aliases that expand past the limit (a "billion laughs" file) are refused by the yaml library.
    throw new BotDefinitionError([{ file, path: "/", line: 1, message: `YAML: ${(err as Error).message}` }]);
  }
  if (!validateSchema(data)) {
    const seen = new Set<string>();
    const issues: LocatedIssue[] = [];
    for (const e of validateSchema.errors ?? []) {
      // if/then branches and propertyNames repeat an inner error that says more.
      if (e.keyword === "if" || e.keyword === "propertyNames") continue;
      const { path: p, message } = schemaMessage(e);
      const key = p + message;
      if (seen.has(key)) continue;
      seen.add(key);
      issues.push({ file, path: p || "/", line: lineOf(doc, counter, p), message });
    }
    throw new BotDefinitionError(issues);
  }
  const semantic = validateDefinition(data);
  if (semantic.length > 0) {
    throw new BotDefinitionError(semantic.map((i) => ({ file, path: i.path, line: lineOf(doc, counter, i.path), message: i.message })));
  }
  return normalize(data);
}

export interface LoadedBot {
  file: string;
  definition: BotDefinition;
}

/** Checks that only make sense across files: ids and names, versions, and the bot list's limits. */
export function validateBotSet(bots: readonly LoadedBot[]): LocatedIssue[] {
  const issues: LocatedIssue[] = [];
  const byId = new Map<string, LoadedBot[]>();
  for (const bot of bots) {
    const list = byId.get(bot.definition.id) ?? [];
    list.push(bot);
    byId.set(bot.definition.id, list);
  }
  if (byId.size > GENESYS_LIMITS.botsPerIntegration) {
    issues.push({ file: "(all bots)", path: "/", message: `${byId.size} bots; Genesys allows at most ${GENESYS_LIMITS.botsPerIntegration} per integration` });
  }
  const names = new Map<string, string>();
  for (const [id, versions] of byId) {
    const first = versions[0] as LoadedBot;
    if (versions.length > GENESYS_LIMITS.versionsPerBot) {
      issues.push({ file: first.file, path: pointer(["version"]), message: `bot "${id}" has ${versions.length} versions; Genesys allows at most ${GENESYS_LIMITS.versionsPerBot}` });
    }
    const seenVersions = new Map<string, string>();
    for (const v of versions) {
      const other = seenVersions.get(v.definition.version);
      if (other) issues.push({ file: v.file, path: pointer(["version"]), message: `bot "${id}" version "${v.definition.version}" is also defined in ${other}` });
      seenVersions.set(v.definition.version, v.file);
      if (v.definition.name !== first.definition.name) {
        issues.push({ file: v.file, path: pointer(["name"]), message: `bot "${id}" is named "${first.definition.name}" in ${first.file}; every version must keep one name` });
      }
    }
    // Genesys sends the bot's name as botId, so names must identify bots as well as ids do.
    const owner = names.get(first.definition.name.toLowerCase());
    if (owner && owner !== id) {
      issues.push({ file: first.file, path: pointer(["name"]), message: `name "${first.definition.name}" is also used by bot "${owner}"` });
    } else if (first.definition.name !== id && byId.has(first.definition.name)) {
      issues.push({
        file: first.file,
        path: pointer(["name"]),
        message: `name "${first.definition.name}" is the id of bot "${first.definition.name}"; a turn naming this bot in botId would reach that one`,
      });
    }
    names.set(first.definition.name.toLowerCase(), id);
  }
  return issues;
}

const DEFINITION_FILE = /\.(ya?ml|json)$/i;

/** Loads every definition in a directory (sorted by file name); throws BotDefinitionError listing all problems. */
export function loadBotDefinitions(dir: string): LoadedBot[] {
  let entries: string[];
  try {
    entries = readdirSync(dir).filter((f) => DEFINITION_FILE.test(f)).sort();
  } catch (err) {
    throw new BotDefinitionError([{ file: dir, path: "/", message: `cannot read the bots directory: ${(err as Error).message}` }]);
  }
  if (entries.length === 0) {
    throw new BotDefinitionError([{ file: dir, path: "/", message: "no bot definitions (*.yaml, *.yml, *.json) found" }]);
  }
  const issues: LocatedIssue[] = [];
  const bots: LoadedBot[] = [];
  const sources = new Map<string, string>();
  for (const entry of entries) {
    const file = path.join(dir, entry);
    try {
      const source = readFileSync(file, "utf8");
      sources.set(file, source);
      bots.push({ file, definition: parseBotDefinition(source, file) });
    } catch (err) {
      if (err instanceof BotDefinitionError) issues.push(...err.issues);
      else issues.push({ file, path: "/", message: (err as Error).message });
    }
  }
  for (const issue of validateBotSet(bots)) {
    const source = sources.get(issue.file);
    issues.push(source === undefined || issue.line !== undefined ? issue : { ...issue, line: lineIn(source, issue.path) });
  }
  if (issues.length > 0) throw new BotDefinitionError(issues);
  return bots;
}
