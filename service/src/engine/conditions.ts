import { type ConditionDef } from "../bots/definition";
import { compiled } from "./answers";
import { lookupRef, type TemplateScope, valueToText } from "../bots/template";

function same(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") return a === b;
  return valueToText(a).trim().toLowerCase() === valueToText(b).trim().toLowerCase();
}

function numeric(value: unknown): number | undefined {
  const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Evaluates a branch condition. Comparisons are lenient about type and case because values come from
 * customers and Architect session variables (always strings): `true` equals "true", 3 equals "3".
 * Every operator given must hold.
 */
export function evaluateCondition(c: ConditionDef, scope: TemplateScope): boolean {
  if ("all" in c) return c.all.every((s) => evaluateCondition(s, scope));
  if ("any" in c) return c.any.some((s) => evaluateCondition(s, scope));
  if ("not" in c) return !evaluateCondition(c.not, scope);
  const value = lookupRef(c.ref, scope);
  const present = value !== undefined && valueToText(value) !== "";
  if (c.exists !== undefined && c.exists !== present) return false;
  if (c.equals !== undefined && !same(value, c.equals)) return false;
  if (c.in !== undefined && !c.in.some((candidate) => same(value, candidate))) return false;
  if (c.matches !== undefined && !(present && compiled(c.matches, "i").test(valueToText(value)))) return false;
  if (c.greaterThan !== undefined || c.lessThan !== undefined) {
    const n = numeric(value);
    if (n === undefined) return false;
    if (c.greaterThan !== undefined && !(n > c.greaterThan)) return false;
    if (c.lessThan !== undefined && !(n < c.lessThan)) return false;
  }
  return true;
}
