/**
 * How Pulumi hands a stack's ESC environment to the program, modelled for the tests (ESC itself evaluates in
 * Pulumi Cloud, out of reach here). Opening an environment evaluates its `values`: `${a.b}` references (a whole
 * value keeps its type and secrecy; text around a reference makes a string), `fn::secret` (a secret),
 * `fn::open::<provider>` (here a stand-in per provider). The CLI then sets `environmentVariables` in the process
 * environment of the program and its providers, and merges `pulumiConfig` into the stack's configuration: keys
 * without a namespace take the project's, a secret stays a secret, and a key the stack file sets keeps the stack
 * file's value (pulumi/pulumi pkg/workspace/config.go: "Prefers stack values over env values").
 *
 * Only what the environments under esc/ use is modelled; anything else throws, so a new construct in them fails
 * these tests instead of passing unmodelled.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { type ConfigOverrides } from "./harness";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- environment definitions are untyped YAML
type Json = Record<string, any>;

/** A value ESC marks secret. */
export class Secret {
  constructor(readonly value: string) {}
}

export type ProviderStandIn = (inputs: unknown) => Json;

export interface OpenedEnvironment {
  environmentVariables: Record<string, string | Secret>;
  pulumiConfig: Record<string, unknown>;
}

export function readEnvironment(file: string): Json {
  return parseYaml(readFileSync(file, "utf8")) as Json;
}

/** `pulumi env set <env> <path> <value> [--secret]` on a definition (a copy). */
export function setValue(definition: Json, dotted: string, value: string, secret: boolean): Json {
  const copy = structuredClone(definition);
  let node = (copy.values ??= {}) as Json;
  const parts = dotted.split(".");
  for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Json;
  node[parts[parts.length - 1]!] = secret ? { "fn::secret": value } : value;
  return copy;
}

const REFERENCE = /\$\{([^}]+)\}/g;

/** Evaluates the definition's values the way opening the environment does. */
export function openEnvironment(definition: Json, providers: Record<string, ProviderStandIn>): OpenedEnvironment {
  const unknownKeys = Object.keys(definition).filter((k) => k !== "values");
  if (unknownKeys.length > 0) throw new Error(`not modelled: top-level ${unknownKeys.join(", ")}`);
  const root = (definition.values ?? {}) as Json;
  const evaluated = new WeakMap<object, unknown>();
  const evaluating = new Set<object>();

  const isCall = (node: unknown): boolean => {
    if (node === null || typeof node !== "object" || Array.isArray(node) || node instanceof Secret) return false;
    const keys = Object.keys(node);
    return keys.length === 1 && keys[0]!.startsWith("fn::");
  };
  // Walks the definition, evaluating only what a path passes through (calls, references), so a reference into
  // a sibling of the value being evaluated is not a cycle.
  const lookup = (dotted: string): unknown => {
    let node: unknown = root;
    for (const part of dotted.split(".")) {
      if (isCall(node) || (typeof node === "string" && node.startsWith("${"))) node = evaluate(node);
      if (node === null || typeof node !== "object" || node instanceof Secret || !(part in node)) throw new Error(`\${${dotted}} refers to nothing`);
      node = (node as Json)[part];
    }
    return evaluate(node);
  };

  const evaluate = (node: unknown): unknown => {
    if (typeof node === "string") {
      const whole = /^\$\{([^}]+)\}$/.exec(node);
      if (whole) return lookup(whole[1]!);
      let secret = false;
      const text = node.replace(REFERENCE, (_, dotted: string) => {
        const v = lookup(dotted);
        if (v instanceof Secret) secret = true;
        return v instanceof Secret ? v.value : String(v);
      });
      return secret ? new Secret(text) : text;
    }
    if (node === null || typeof node !== "object" || node instanceof Secret) return node;
    if (evaluated.has(node)) return evaluated.get(node);
    if (evaluating.has(node)) throw new Error("a reference cycle");
    evaluating.add(node);
    let result: unknown;
    if (Array.isArray(node)) result = node.map(evaluate);
    else {
      const keys = Object.keys(node);
      const fn = keys.length === 1 && keys[0]!.startsWith("fn::") ? keys[0]! : undefined;
      if (fn === "fn::secret") {
        const plain = (node as Json)[fn];
        if (typeof plain !== "string") throw new Error("fn::secret with ciphertext: only Pulumi Cloud can decrypt it");
        result = new Secret(plain);
      } else if (fn?.startsWith("fn::open::")) {
        const provider = providers[fn.slice("fn::open::".length)];
        if (!provider) throw new Error(`not modelled: ${fn}`);
        result = provider(evaluate((node as Json)[fn]));
      } else if (fn) throw new Error(`not modelled: ${fn}`);
      else result = Object.fromEntries(keys.map((k) => [k, evaluate((node as Json)[k])]));
    }
    evaluating.delete(node);
    evaluated.set(node, result);
    return result;
  };

  const values = evaluate(root) as Json;
  const environmentVariables: Record<string, string | Secret> = {};
  for (const [name, value] of Object.entries((values.environmentVariables ?? {}) as Json)) {
    if (typeof value !== "string" && !(value instanceof Secret)) throw new Error(`environment variable ${name} is not text`);
    environmentVariables[name] = value;
  }
  return { environmentVariables, pulumiConfig: (values.pulumiConfig ?? {}) as Record<string, unknown> };
}

/**
 * What the environment adds to a stack's configuration: its pulumiConfig keys (qualified with the project's
 * namespace when they have none), except those the stack file sets itself, which keep the stack file's value.
 * Applied over the project defaults and the stack file (test/stacks/harness.ts `runStack({ overrides })`), this
 * is the configuration the CLI gives the program.
 */
export function environmentConfig(project: string, opened: OpenedEnvironment, stackFileKeys: readonly string[]): ConfigOverrides {
  const added: ConfigOverrides = {};
  for (const [key, value] of Object.entries(opened.pulumiConfig)) {
    const qualified = key.includes(":") ? key : `${project}:${key}`;
    if (!stackFileKeys.includes(qualified)) added[qualified] = value instanceof Secret ? { secret: value.value } : value;
  }
  return added;
}

/** The keys a stack file sets itself (its `config:` block), fully qualified. */
export function stackFileKeys(project: string, stackFile: string): string[] {
  const parsed = parseYaml(readFileSync(stackFile, "utf8")) as { config?: Json };
  return Object.keys(parsed.config ?? {}).map((k) => (k.includes(":") ? k : `${project}:${k}`));
}

/** The process environment the CLI gives the program (secrets in plain text, as the program sees them). */
export function environmentOf(opened: OpenedEnvironment): Record<string, string> {
  return Object.fromEntries(Object.entries(opened.environmentVariables).map(([k, v]) => [k, v instanceof Secret ? v.value : v]));
}

export const ESC_DIR = path.join(__dirname, "..", "..", "esc");
