/**
 * Pulumi.yaml's `config:` declarations, the settings modules and the stack files agree: every key the program
 * reads is declared (or belongs to another namespace), every declared key is read, every default is the
 * parser's own, every stack file uses declared keys with values of the declared type, no secret sits in a
 * stack file in plain text, and docs/configuration.md's reference is the one these declarations render.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { configReferenceMarkdown, FOREIGN_KEYS, readDeclarations, REFERENCE_DOC, REFERENCE_END, REFERENCE_START, withReference } from "../../stacks/settings/reference";
import { parseStackSettings, SECRET_CONFIG_KEYS } from "../../stacks/settings/stack";
import { DEPLOYER_ENV, engineConfig, projectDefaults, ROOT, stackFileConfig, STACKS } from "./harness";

const declarations = readDeclarations(ROOT);
const declaredKeys = Object.keys(declarations).map((k) => `virtual-agent:${k}`);
const stackFile = (stack: string) => (parseYaml(readFileSync(path.join(ROOT, "stacks", `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> }).config;

/** Pulumi's own check of a value against a declared type (workspace.ValidateConfigValue, as documented). */
function fitsType(type: string, items: { type: string } | undefined, value: unknown): boolean {
  switch (type) {
    case "string":
      return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
    case "integer":
      return Number.isInteger(typeof value === "string" ? Number(value) : value);
    case "boolean":
      return typeof value === "boolean" || value === "true" || value === "false";
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    case "array":
      return Array.isArray(value) && items !== undefined && value.every((v) => fitsType(items.type, undefined, v));
    default:
      return false;
  }
}

describe("Pulumi.yaml's declarations", () => {
  it("follow Pulumi's project schema for typed config", () => {
    const project = parseYaml(readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as Record<string, unknown>;
    expect(project).toMatchObject({ name: "virtual-agent", runtime: { name: "nodejs" }, stackConfigDir: "stacks" });
    expect(project.packages).toMatchObject({ genesyscloud: { source: "terraform-provider", parameters: ["mypurecloud/genesyscloud", "1.84.1"] } });
    // No `main`: the nodejs runtime then runs package.json's main, the stack program.
    expect(project.main).toBeUndefined();
    for (const [key, d] of Object.entries(declarations)) {
      expect([key, Object.keys(d).filter((f) => !["type", "description", "default", "items", "secret"].includes(f))]).toEqual([key, []]);
      expect(key).not.toContain(":");
      expect(["string", "integer", "boolean", "array", "object"]).toContain(d.type);
      expect(d.description.length).toBeGreaterThan(20);
      if (d.type === "array") expect(["string", "integer", "boolean", "object"]).toContain(d.items?.type);
      if (d.default !== undefined) expect([key, fitsType(d.type, d.items, d.default)]).toEqual([key, true]);
      // The CLI refuses a plain default for a secret key, and a secret key without one would be required everywhere.
      expect(d.secret).toBeUndefined();
    }
  });

  it("name exactly the keys the settings modules read, plus those of other namespaces", () => {
    const read = new Set<string>();
    for (const stack of STACKS) {
      const { values, secretKeys } = engineConfig(stackFileConfig(stack));
      for (const key of parseStackSettings(values, { stack, secretKeys, env: DEPLOYER_ENV }).keysRead) read.add(key);
    }
    const own = [...read].filter((k) => k.startsWith("virtual-agent:")).sort();
    expect(own).toEqual([...declaredKeys].sort());
    const foreign = [...read].filter((k) => !k.startsWith("virtual-agent:")).sort();
    expect(foreign).toEqual(Object.keys(FOREIGN_KEYS).filter((k) => !k.startsWith("pulumi:")).sort());
  });

  it("have the defaults the parser itself applies: declaring them changes nothing", () => {
    // A stack with only what must be set, with and without the declared defaults (the CLI merges them in).
    // genesysHandleUtteranceUriProperty is required with the default protocol (v1), so it cannot have a required-style declaration.
    const requiredByProtocol = ["virtual-agent:genesysHandleUtteranceUriProperty"];
    const required: Record<string, unknown> = Object.fromEntries(
      Object.entries(stackFileConfig("dev")).filter(
        ([k]) => !k.startsWith("virtual-agent:") || declarations[k.slice("virtual-agent:".length)]?.default === undefined || requiredByProtocol.includes(k),
      ),
    );
    required["virtual-agent:genesysMessengerAllowedDomains"] = ["www.acme.example"];
    const parse = (config: Record<string, unknown>) => {
      const { values } = engineConfig(config);
      return parseStackSettings(values, { stack: "dev", env: DEPLOYER_ENV });
    };
    const without = parse(required);
    expect(without.problems).toEqual([]);
    expect(parse({ ...projectDefaults(), ...required }).settings).toEqual(without.settings);
  });
});

describe("the stack files", () => {
  it.each(STACKS)("%s sets only declared keys (or other namespaces' keys), with values of the declared type", (stack) => {
    for (const [key, value] of Object.entries(stackFile(stack))) {
      if (!key.startsWith("virtual-agent:")) {
        expect(Object.keys(FOREIGN_KEYS)).toContain(key);
        continue;
      }
      const d = declarations[key.slice("virtual-agent:".length)];
      expect([key, d !== undefined]).toEqual([key, true]);
      expect([key, fitsType(d!.type, d!.items, value)]).toEqual([key, true]);
    }
  });

  it.each(STACKS)("%s holds secrets only encrypted (`secure:`) and uses the explicit Genesys provider only", (stack) => {
    const config = stackFile(stack);
    for (const key of SECRET_CONFIG_KEYS) {
      const value = config[key];
      if (value !== undefined) expect([key, typeof value === "object" && value !== null && "secure" in value]).toEqual([key, true]);
    }
    expect(config["pulumi:disable-default-providers"]).toEqual(["genesyscloud"]);
  });
});

describe(REFERENCE_DOC, () => {
  const doc = readFileSync(path.join(ROOT, REFERENCE_DOC), "utf8");

  it("carries the reference these declarations render, unchanged", () => {
    expect(doc).toContain(REFERENCE_START);
    expect(doc).toContain(REFERENCE_END);
    expect(withReference(doc, configReferenceMarkdown(declarations))).toBe(doc);
  });

  it("lists every key, declared and foreign", () => {
    for (const key of [...Object.keys(declarations), ...Object.keys(FOREIGN_KEYS)]) expect(doc).toContain(`| \`${key}\` |`);
  });
});
