/**
 * IAM policy documents as the pack reads them: given as JSON text or as an object (a Pulumi program may pass
 * either; Outputs are resolved by the time a policy runs), with `Statement` one object or a list, each element a
 * string or a list, `Principal` `"*"` or a map, and conditions flattened to (operator, key, values). A document
 * AWS would refuse is reported as such rather than half-read, so nothing hides in a malformed statement.
 */

/** IAM's own ceiling is 10,240 characters for an inline role policy; far above that is not a policy document. */
const MAX_DOCUMENT_CHARS = 131_072;

export type Effect = "Allow" | "Deny";

/** Principal types, each with its values; `"*"` alone is `{ AWS: ["*"] }` (how IAM reads it). */
export type Principals = Partial<Record<"AWS" | "Service" | "Federated" | "CanonicalUser", string[]>>;

export interface Condition {
  /** e.g. `StringEquals`, `ForAnyValue:StringLike`, `ArnLikeIfExists`. */
  operator: string;
  key: string;
  values: string[];
}

export interface Statement {
  /** 1-based position in the document, for messages. */
  position: number;
  sid?: string;
  effect: Effect;
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  principal?: Principals;
  notPrincipal?: Principals;
  conditions: Condition[];
}

export type ParsedDocument = { ok: true; statements: Statement[] } | { ok: false; problem: string };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a policy document is untyped JSON
type Json = any;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** A string or a list of strings (IAM accepts both everywhere a list is meant). */
function stringList(value: unknown, field: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every((v) => typeof v === "string")) throw new Error(`${field} must be a string or a list of strings`);
  return list as string[];
}

function principals(value: unknown, field: string): Principals {
  if (value === "*") return { AWS: ["*"] };
  if (!isObject(value)) throw new Error(`${field} must be "*" or a map of principal types`);
  const out: Principals = {};
  for (const [kind, values] of Object.entries(value)) {
    if (kind !== "AWS" && kind !== "Service" && kind !== "Federated" && kind !== "CanonicalUser") throw new Error(`${field} has an unknown principal type ${kind}`);
    out[kind] = stringList(values, `${field}.${kind}`);
  }
  return out;
}

function conditions(value: unknown, at: (field: string) => string): Condition[] {
  if (value === undefined) return [];
  if (!isObject(value)) throw new Error(`${at("Condition")} must be a map of operators`);
  const out: Condition[] = [];
  for (const [operator, block] of Object.entries(value)) {
    if (!isObject(block)) throw new Error(`${at(`Condition.${operator}`)} must be a map of condition keys`);
    for (const [key, raw] of Object.entries(block)) {
      const list = Array.isArray(raw) ? raw : [raw];
      if (!list.every((v) => ["string", "number", "boolean"].includes(typeof v))) throw new Error(`${at(`Condition.${operator}.${key}`)} must hold strings, numbers or booleans`);
      out.push({ operator, key, values: list.map(String) });
    }
  }
  return out;
}

function statement(raw: Json, position: number): Statement {
  if (!isObject(raw)) throw new Error(`statement ${position} is not an object`);
  const at = (field: string) => `statement ${position}: ${field}`;
  if (raw.Effect !== "Allow" && raw.Effect !== "Deny") throw new Error(`${at("Effect")} must be "Allow" or "Deny"`);
  const pair = (a: string, b: string) => {
    if (raw[a] !== undefined && raw[b] !== undefined) throw new Error(`statement ${position} has both ${a} and ${b}`);
  };
  pair("Action", "NotAction");
  pair("Resource", "NotResource");
  pair("Principal", "NotPrincipal");
  if (raw.Action === undefined && raw.NotAction === undefined) throw new Error(`statement ${position} has neither Action nor NotAction`);
  const s: Statement = { position, effect: raw.Effect, conditions: [] };
  if (typeof raw.Sid === "string") s.sid = raw.Sid;
  if (raw.Action !== undefined) s.action = stringList(raw.Action, at("Action"));
  if (raw.NotAction !== undefined) s.notAction = stringList(raw.NotAction, at("NotAction"));
  if (raw.Resource !== undefined) s.resource = stringList(raw.Resource, at("Resource"));
  if (raw.NotResource !== undefined) s.notResource = stringList(raw.NotResource, at("NotResource"));
  if (raw.Principal !== undefined) s.principal = principals(raw.Principal, at("Principal"));
  if (raw.NotPrincipal !== undefined) s.notPrincipal = principals(raw.NotPrincipal, at("NotPrincipal"));
  s.conditions = conditions(raw.Condition, at);
  return s;
}

/** Reads a policy document given as JSON text or as an object. */
export function parsePolicyDocument(document: unknown): ParsedDocument {
  let parsed: unknown = document;
  if (typeof document === "string") {
    if (document.length > MAX_DOCUMENT_CHARS) return { ok: false, problem: `is ${document.length} characters long, far beyond what IAM accepts` };
    try {
      parsed = JSON.parse(document);
    } catch {
      return { ok: false, problem: "is not JSON" };
    }
  }
  if (!isObject(parsed)) return { ok: false, problem: "is not a JSON object" };
  const raw = parsed.Statement;
  if (raw === undefined) return { ok: false, problem: "has no Statement" };
  const list = Array.isArray(raw) ? raw : [raw];
  try {
    return { ok: true, statements: list.map((s, i) => statement(s, i + 1)) };
  } catch (e) {
    return { ok: false, problem: (e as Error).message };
  }
}

/** `statement 2 ("PullImage")`: how messages point at a statement. */
export const statementLabel = (s: Statement) => `statement ${s.position}${s.sid ? ` (${s.sid})` : ""}`;
