/**
 * The pack's config, per stack: every policy's schema is valid JSON Schema whose defaults fit it, every property a
 * policy reads is declared (so `--policy-pack-config` can set it and the analyzer validates it), and
 * docs/policy.md lists every policy with its level and each of its properties.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv from "ajv";
import { policies } from "../../policy/policies";
import { ROOT, runStack, STACKS } from "../stacks/harness";
import { runPolicies } from "./adapter";

const ajv = new Ajv({ strict: true, allErrors: true });

it("every policy's config schema compiles, and its defaults fit it", () => {
  for (const p of policies) {
    const properties = p.configSchema?.properties ?? {};
    const validate = ajv.compile({ type: "object", properties, additionalProperties: false, ...(p.configSchema?.required ? { required: p.configSchema.required } : {}) });
    const defaults = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, (v as { default?: unknown }).default]));
    expect([p.name, validate(defaults), validate.errors ?? null]).toEqual([p.name, true, null]);
    for (const [key, schema] of Object.entries(properties)) expect([p.name, key, typeof (schema as { description?: unknown }).description]).toEqual([p.name, key, "string"]);
  }
});

it("every config property a policy reads is declared in its schema", async () => {
  const read = new Map<string, Set<string>>();
  const onConfigRead = (policy: string, property: string) => read.set(policy, (read.get(policy) ?? new Set()).add(property));
  for (const stack of STACKS) {
    const run = await runStack(stack);
    await runPolicies(run.cloud.resources, policies, { stack, onConfigRead });
  }
  for (const p of policies) {
    const declared = Object.keys(p.configSchema?.properties ?? {});
    expect([p.name, [...(read.get(p.name) ?? [])].filter((k) => !declared.includes(k))]).toEqual([p.name, []]);
  }
}, 180_000);

it("docs/policy.md lists every policy with its level and its config", () => {
  const doc = readFileSync(path.join(ROOT, "docs", "policy.md"), "utf8");
  const rows = doc.split("\n").filter((line) => line.startsWith("| `"));
  for (const p of policies) {
    const row = rows.find((line) => line.startsWith(`| \`${p.name}\` |`));
    expect([p.name, row !== undefined]).toEqual([p.name, true]);
    expect([p.name, row!.split("|")[2]!.trim()]).toEqual([p.name, p.enforcementLevel]);
    for (const key of Object.keys(p.configSchema?.properties ?? {})) expect([p.name, row!.includes(`\`${key}\``)]).toEqual([p.name, true]);
  }
  expect(rows).toHaveLength(policies.length);
});
