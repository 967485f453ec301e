/**
 * Message templates: `{{vars.orderNumber}}`, `{{params.customerName|there}}`, `{{language}}`.
 * Kept deliberately small (no logic) so that every reference can be checked when a definition loads.
 */

export interface TemplateRef {
  /** `vars.<name>`, `params.<name>` or `language`. */
  ref: string;
  fallback?: string;
}

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
const REF = /^(vars\.[A-Za-z_][A-Za-z0-9_]*|params\.[A-Za-z_][A-Za-z0-9_]*|language)$/;

export class TemplateSyntaxError extends Error {}

/** The references a template uses; throws TemplateSyntaxError naming the bad placeholder. */
export function templateRefs(template: string): TemplateRef[] {
  const refs: TemplateRef[] = [];
  for (const match of template.matchAll(PLACEHOLDER)) {
    const inner = match[1] ?? "";
    const bar = inner.indexOf("|");
    const ref = (bar < 0 ? inner : inner.slice(0, bar)).trim();
    if (!REF.test(ref)) {
      throw new TemplateSyntaxError(
        `placeholder "${match[0]}" must name vars.<name>, params.<name> or language (optionally "|fallback")`,
      );
    }
    refs.push(bar < 0 ? { ref } : { ref, fallback: inner.slice(bar + 1).trim() });
  }
  return refs;
}

export interface TemplateScope {
  vars: Readonly<Record<string, unknown>>;
  params: Readonly<Record<string, string>>;
  language: string;
}

export function lookupRef(ref: string, scope: TemplateScope): unknown {
  if (ref === "language") return scope.language;
  const dot = ref.indexOf(".");
  const name = ref.slice(dot + 1);
  const bag = ref.startsWith("vars.") ? scope.vars : scope.params;
  return Object.prototype.hasOwnProperty.call(bag, name) ? bag[name] : undefined;
}

export function valueToText(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (Array.isArray(value)) return value.map(valueToText).join(", ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** Renders a template; unknown values become their fallback or the empty string. */
export function renderTemplate(template: string, scope: TemplateScope): string {
  if (!template.includes("{{")) return template;
  return template.replace(PLACEHOLDER, (_whole, inner: string) => {
    const bar = inner.indexOf("|");
    const ref = (bar < 0 ? inner : inner.slice(0, bar)).trim();
    const text = valueToText(lookupRef(ref, scope));
    if (text === "" && bar >= 0) return inner.slice(bar + 1).trim();
    return text;
  });
}

/** A template that is exactly one reference (`{{vars.x}}`) keeps the referenced value's type. */
export function evaluateTemplate(template: string, scope: TemplateScope): unknown {
  const whole = /^\{\{\s*([^{}|]+?)\s*\}\}$/.exec(template);
  if (whole?.[1] && REF.test(whole[1])) return lookupRef(whole[1], scope);
  return renderTemplate(template, scope);
}
