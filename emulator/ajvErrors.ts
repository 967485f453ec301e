import Ajv, { type ErrorObject } from "ajv";

/** One Ajv instance for the emulator's schemas: every error reported, no coercion, no defaults; `required` may name properties declared by the enclosing schema (if/then). */
export const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });

/** `/replymessages/0/content/1` → `replymessages[0].content[1]`, the way the protocol reference names fields. */
export function fieldPath(pointer: string): string {
  return pointer
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), "");
}

/** A readable sentence for one Ajv error, naming the field. */
export function describeAjvError(e: ErrorObject, root: string): { path: string; message: string } {
  const base = fieldPath(e.instancePath);
  const params = e.params as { missingProperty?: string; allowedValues?: unknown[]; additionalProperty?: string; type?: string; limit?: number };
  if (e.keyword === "required" && params.missingProperty) {
    const path = base ? `${base}.${params.missingProperty}` : params.missingProperty;
    return { path, message: "is required" };
  }
  const path = base || root;
  if (e.keyword === "enum" && params.allowedValues) return { path, message: `must be one of ${params.allowedValues.join(", ")}` };
  if (e.keyword === "type") return { path, message: `must be ${params.type === "object" ? "an object" : params.type === "array" ? "a list" : `a ${params.type}`}` };
  return { path, message: e.message ?? e.keyword };
}

/**
 * Ajv reports every failing branch of a oneOf/anyOf/if; keep the errors of the deepest paths, which name the
 * field that is actually wrong, and drop the summary errors of their parents.
 */
export function deepestErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const specific = errors.filter((e) => !["oneOf", "anyOf", "if"].includes(e.keyword));
  const list = specific.length > 0 ? specific : [...errors];
  const seen = new Set<string>();
  return list.filter((e) => {
    const key = `${e.instancePath} ${e.keyword} ${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
