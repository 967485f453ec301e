import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Ajv, { type ErrorObject } from "ajv";
import { isNode, LineCounter, parseDocument, type Document } from "yaml";
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

/** The committed JSON Schema (also used by editors); same relative place from src/ and dist/. */
export const BOT_DEFINITION_SCHEMA_PATH = path.join(__dirname, "..", "..", "schema", "bot-definition.schema.json");
const schema = JSON.parse(readFileSync(BOT_DEFINITION_SCHEMA_PATH, "utf8")) as object;

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
const validateSchema = ajv.compile<BotDefinition>(schema);

function schemaMessage(e: ErrorObject): { path: string; message: string } {
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "additionalProperties":
      return { path: e.instancePath + "/" + String(params.additionalProperty), message: "is not a known property" };
    case "required":
      return { path: e.instancePath || "/", message: `missing required property "${String(params.missingProperty)}"` };
    case "enum":
      return { path: e.instancePath, message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}` };
    case "propertyNames":
      return { path: e.instancePath + "/" + String(params.propertyName), message: "is not a valid name here" };
    default:
      return { path: e.instancePath || "/", message: e.message ?? e.keyword };
  }
}

function lineOf(doc: Document, counter: LineCounter, jsonPointer: string): number | undefined {
  const segments = jsonPointer
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .filter((s) => s !== "");
  // Walk up to the nearest existing node so a missing property points at its parent.
  for (let n = segments.length; n >= 0; n--) {
    const keys = segments.slice(0, n).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    const node = n === 0 ? doc.contents : doc.getIn(keys, true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}

function normalizeSlotType(type: string): SlotType {
  const found = SLOT_TYPES.find((t) => t.toLowerCase() === type.toLowerCase());
  if (!found) throw new Error(`unknown slot type ${type}`);
  return found;
}

function normalize(def: BotDefinition): BotDefinition {
  const intents: BotDefinition["intents"] = {};
  for (const [name, intent] of Object.entries(def.intents)) {
    const slots = intent.slots
      ? Object.fromEntries(Object.entries(intent.slots).map(([s, t]) => [s, normalizeSlotType(t)]))
      : undefined;
    intents[name] = { ...intent, ...(slots ? { slots } : {}) };
  }
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
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  if (!validateSchema(data)) {
    const seen = new Set<string>();
    const issues: LocatedIssue[] = [];
    for (const e of validateSchema.errors ?? []) {
      // if/then branches repeat the inner error as "must match then schema"; the inner one says more.
      if (e.keyword === "if") continue;
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
  for (const entry of entries) {
    const file = path.join(dir, entry);
    try {
      bots.push({ file, definition: parseBotDefinition(readFileSync(file, "utf8"), file) });
    } catch (err) {
      if (err instanceof BotDefinitionError) issues.push(...err.issues);
      else issues.push({ file, path: "/", message: (err as Error).message });
    }
  }
  issues.push(...validateBotSet(bots));
  if (issues.length > 0) throw new BotDefinitionError(issues);
  return bots;
}
