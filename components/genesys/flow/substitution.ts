/**
 * The `genesyscloud.Flow` resource's `substitutions`, done here exactly as the provider does them
 * (terraform-provider-genesyscloud `util/files`): before upload, every `{{key}}` in the raw file text is
 * replaced by its value, literally, with no escaping. Unmatched placeholders stay as they are.
 *
 * Because the replacement is raw text, the renderer puts every placeholder inside a double-quoted YAML
 * scalar, and values must not carry what would end that scalar or start another placeholder.
 */

export const PLACEHOLDER = /\{\{([A-Za-z0-9_]+)\}\}/g;

/** Keys of every `{{key}}` in the text, sorted and unique. */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] as string))].sort();
}

/** Why a value cannot be substituted into a double-quoted scalar, or undefined when it can. */
export function substitutionProblem(value: string): string | undefined {
  if (value.trim() === "") return "is empty";
  if (value.includes('"')) return "contains a double quote";
  if (value.includes("\\")) return "contains a backslash";
  if (/[\r\n\t]/.test(value)) return "contains a line break or tab";
  if (value.includes("{{") || value.includes("}}")) return "contains {{ or }}";
  if (value.trim() !== value) return "has leading or trailing whitespace";
  return undefined;
}

/** Throws an error naming every value that would break the flow file. */
export function assertSubstitutable(substitutions: Record<string, string>): void {
  const problems = Object.entries(substitutions)
    .map(([key, value]) => [key, value, substitutionProblem(value)] as const)
    .filter(([, , problem]) => problem !== undefined)
    .map(([key, value, problem]) => `{{${key}}} = ${JSON.stringify(value)} ${problem}`);
  if (problems.length > 0) throw new Error(`these flow substitutions cannot be used:\n${problems.map((p) => "  " + p).join("\n")}`);
}

/** The provider's substitution: plain replacement of `{{key}}` for every key. */
export function substitute(text: string, substitutions: Record<string, string>): string {
  let out = text;
  for (const [key, value] of Object.entries(substitutions)) out = out.split(`{{${key}}}`).join(value);
  return out;
}
