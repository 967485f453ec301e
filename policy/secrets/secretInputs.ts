/**
 * The inputs each provider keeps secret (generated from the provider SDKs by `npm run policy:secret-inputs`, see
 * tools/secretInputs.ts): the places a credential belongs, which the secrets policy leaves alone.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";

const SECRET_INPUTS = JSON.parse(readFileSync(path.join(__dirname, "secretInputs.json"), "utf8")) as Record<string, string[]>;

/** Input paths of this resource type that hold secrets by design (`secretString`, `registry.password`). */
export function secretInputPaths(type: string): string[] {
  return SECRET_INPUTS[type] ?? [];
}
