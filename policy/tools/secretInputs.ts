/**
 * Which resource inputs the providers keep secret, read from the installed provider SDKs: an input the SDK wraps
 * in `pulumi.secret(...)` or lists in `additionalSecretOutputs` is encrypted in the state whatever the program
 * passes, so a credential there is where it belongs (a Secrets Manager secret's value, an integration credential's
 * fields). The secrets policy leaves those alone and looks everywhere else.
 *
 *   npm run policy:secret-inputs      # rewrites policy/secrets/secretInputs.json from node_modules
 *
 * A test regenerates the list and compares, so an SDK upgrade that adds a secret input cannot go unnoticed.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** The provider SDKs the stacks use (the Genesys one is generated into sdks/ and linked into node_modules). */
export const SDK_PACKAGES = ["@pulumi/aws", "@pulumi/docker", "@pulumi/random", "@pulumi/genesyscloud"];

/**
 * Nested inputs the provider schemas mark secret, which the SDKs cannot express in code (the engine marks them
 * when the provider says so).
 */
const NESTED_SECRET_INPUTS: Record<string, string[]> = {
  "docker:index/image:Image": ["registry.password"],
  "pulumi:providers:docker": ["registryAuth"],
};

export type SecretInputs = Record<string, string[]>;

function* javascriptFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "types") continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* javascriptFiles(full);
    else if (entry.name.endsWith(".js")) yield full;
  }
}

const TYPE = /static __pulumiType = '([^']+)'/;
const WRAPPED = /resourceInputs\["([A-Za-z0-9_]+)"\] = args\?\.[A-Za-z0-9_]+ \? pulumi\.secret\(/g;
const SECRET_OUTPUTS = /additionalSecretOutputs: \[([^\]]*)\]/;

export function readSecretInputs(root: string): SecretInputs {
  const out: SecretInputs = {};
  for (const pkg of SDK_PACKAGES) {
    const dir = path.join(root, "node_modules", pkg);
    for (const file of javascriptFiles(dir)) {
      const source = readFileSync(file, "utf8");
      const token = TYPE.exec(source)?.[1];
      if (token === undefined) continue;
      const type = token.includes(":") ? token : `pulumi:providers:${token}`;
      const names = new Set<string>([...source.matchAll(WRAPPED)].map((m) => m[1]!));
      for (const name of (SECRET_OUTPUTS.exec(source)?.[1] ?? "").matchAll(/"([A-Za-z0-9_]+)"/g)) names.add(name[1]!);
      if (names.size > 0) out[type] = [...names].sort();
    }
  }
  for (const [type, paths] of Object.entries(NESTED_SECRET_INPUTS)) out[type] = [...new Set([...(out[type] ?? []), ...paths])].sort();
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export const SECRET_INPUTS_FILE = path.join(__dirname, "..", "secrets", "secretInputs.json");

if (require.main === module) {
  const inputs = readSecretInputs(path.join(__dirname, "..", ".."));
  writeFileSync(SECRET_INPUTS_FILE, `${JSON.stringify(inputs, null, 2)}\n`);
  console.log(`${Object.keys(inputs).length} resource types with secret inputs written to ${path.relative(process.cwd(), SECRET_INPUTS_FILE)}`);
}
