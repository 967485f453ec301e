/**
 * Property: whatever a definition file holds, the loader either returns a definition that passes every
 * check (and yields a bot list naming every declared intent and slot) or throws a BotDefinitionError
 * whose issues each name the file, a JSON path and a line. Nothing else escapes.
 */
import fc from "fast-check";
import { buildBotList } from "../../service/src/bots/botList";
import { BotDefinitionError, parseBotDefinition } from "../../service/src/bots/load";
import { validateDefinition } from "../../service/src/bots/validate";
import { type Json, loadSampleBot, minimalBot, toYaml } from "./fixtures";

const FILE = "prop.yaml";

function checkOutcome(source: string): void {
  let def;
  try {
    def = parseBotDefinition(source, FILE);
  } catch (err) {
    if (!(err instanceof BotDefinitionError)) throw err;
    expect(err.issues.length).toBeGreaterThan(0);
    for (const issue of err.issues) {
      expect(issue.file).toBe(FILE);
      expect(issue.path).toMatch(/^\//);
      expect(issue.line).toEqual(expect.any(Number));
      expect(issue.line).toBeGreaterThanOrEqual(1);
      expect(issue.message.length).toBeGreaterThan(0);
    }
    return;
  }
  expect(validateDefinition(def)).toEqual([]);
  const version = buildBotList([def]).chatBots[0]?.versions[0];
  expect(version?.intents.map((i) => i.name)).toEqual(Object.keys(def.intents));
  for (const intent of version?.intents ?? []) {
    expect(Object.keys(intent.slots ?? {})).toEqual(Object.keys(def.intents[intent.name]?.slots ?? {}));
  }
}

/** Strings that mean something to the loader: node ids, intents, templates, Object prototype names. */
const meaningful = fc.constantFrom(
  "constructor", "__proto__", "toString", "hasOwnProperty", "", " ", " x", "#", "a#b", "end", "hello", "menu", "agent", "Done",
  "OrderStatus", "{{vars.x}}", "{{params.customerName}}", "{{", "}}", "{{language}}", "vars.orderNumber", "params.nope", "en", "en-us",
  "de-de", "String", "integer", "Currency", "text", "choice", "pattern", "(", "^a$", "x".repeat(101), "y".repeat(4001),
);
const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: meaningful },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(meaningful, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.array(meaningful, { maxLength: 4 }) },
);

/** Every path to a value inside a JSON tree, so a mutation can hit any of them. */
function paths(node: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [prefix];
  if (Array.isArray(node)) node.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (node !== null && typeof node === "object") for (const [k, v] of Object.entries(node)) out.push(...paths(v, [...prefix, k]));
  return out;
}

type Mutation = { at: number; op: "set" | "delete" | "rename"; value: unknown; key: string };
const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom("set" as const, "delete" as const, "rename" as const),
  value,
  key: meaningful,
});

function mutate(base: Json, mutations: Mutation[]): unknown {
  let root: unknown = structuredClone(base);
  for (const m of mutations) {
    const all = paths(root);
    const target = all[m.at % all.length] as Array<string | number>;
    if (target.length === 0) {
      root = m.op === "set" ? m.value : root;
      continue;
    }
    const parent = target.slice(0, -1).reduce<unknown>((n, k) => (n as Record<string, unknown>)[k], root) as Record<string | number, unknown>;
    const key = target[target.length - 1] as string | number;
    if (m.op === "set") parent[key] = m.value;
    else if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else {
      const old = parent[key];
      delete parent[key];
      if (m.op === "rename") Object.defineProperty(parent, m.key, { value: old, enumerable: true, writable: true, configurable: true });
    }
  }
  return root;
}

const sample = JSON.parse(JSON.stringify(loadSampleBot())) as Json;

describe("loader properties", () => {
  it("arbitrary JSON values, as YAML or JSON text, load or fail with a located BotDefinitionError", () => {
    fc.assert(
      fc.property(value, fc.boolean(), (v, asJson) => checkOutcome(asJson ? JSON.stringify(v) ?? "null" : toYaml(v))),
      { numRuns: 300 },
    );
  });

  it("arbitrary text loads or fails with a located BotDefinitionError", () => {
    const yamlish = fc.string({ unit: fc.constantFrom("a", "b", ":", " ", "\n", "-", "[", "]", "{", "}", "&", "*", "!", "#", "'", '"', "|", ">", "\t", "?", ",", "%", "@") });
    fc.assert(fc.property(fc.oneof(fc.string(), yamlish), checkOutcome), { numRuns: 300 });
  });

  it("the minimal bot with random edits loads or fails with a located BotDefinitionError", () => {
    fc.assert(fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.boolean(), (ms, asJson) => {
      const def = mutate(minimalBot(), ms);
      checkOutcome(asJson ? JSON.stringify(def) : toYaml(def));
    }), { numRuns: 400 });
  });

  it("the sample bot with random edits loads or fails with a located BotDefinitionError", () => {
    fc.assert(fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (ms) => checkOutcome(toYaml(mutate(sample, ms)))), { numRuns: 50 });
  });
});
