import * as pulumi from "@pulumi/pulumi";

/** One invalid argument: where it is (`service.desiredCount`) and what is wrong with it. */
export interface Problem {
  propertyPath: string;
  reason: string;
}

/** True when the value is known now (not an Output or a Promise), so it can be validated before deployment. */
export function isKnown<T>(value: pulumi.Input<T> | undefined): value is T {
  return value !== undefined && !pulumi.Output.isInstance(value) && !(value instanceof Promise);
}

/** Collects problems; `at(prefix)` hands out a view whose paths are prefixed (for composed args). */
export class Problems {
  constructor(
    readonly list: Problem[] = [],
    private readonly prefix = "",
  ) {}

  add(propertyPath: string, reason: string): void {
    this.list.push({ propertyPath: this.prefix + propertyPath, reason });
  }

  /** Adds the problem unless `ok` holds. */
  require(ok: boolean, propertyPath: string, reason: string): void {
    if (!ok) this.add(propertyPath, reason);
  }

  at(prefix: string): Problems {
    return new Problems(this.list, `${this.prefix}${prefix}.`);
  }
}

/**
 * Throws every problem at once, before the component registers anything, as the engine's
 * InputPropertiesError (printed per property by the CLI); the message lists them too.
 */
export function failOnProblems(type: string, name: string, problems: Problems | Problem[]): void {
  const list = Array.isArray(problems) ? problems : problems.list;
  if (list.length === 0) return;
  const message = `${type} "${name}" has invalid arguments:\n${list.map((p) => `  - ${p.propertyPath}: ${p.reason}`).join("\n")}`;
  throw new pulumi.InputPropertiesError({ message, errors: list });
}

/** Checks `value` is an integer in [min, max] when it is given. */
export function checkInteger(problems: Problems, path: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined) return;
  problems.require(Number.isInteger(value) && value >= min && value <= max, path, `must be an integer from ${min} to ${max}, got ${value}`);
}

/** The component's tags merged over a Name tag for one child. */
export function childTags(
  tags: pulumi.Input<Record<string, pulumi.Input<string>>> | undefined,
  name?: string,
): pulumi.Output<Record<string, string>> {
  return pulumi.output(tags ?? {}).apply((t): Record<string, string> => ({ ...(name ? { Name: name } : {}), ...t }));
}
