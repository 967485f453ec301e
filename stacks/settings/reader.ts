/**
 * Reading raw stack config into typed values, collecting every problem with the `pulumi config set` command
 * that fixes it. Shared by the Genesys and AWS settings modules, so both speak the same way and the stack
 * program can report all problems of a stack in one error.
 *
 * Raw config is a map of full keys (`virtual-agent:awsTaskCpu`, `aws:region`) to values as the stack file holds
 * them (strings, numbers, booleans, lists, maps, `{secure: ...}`) or as the program reads them (every value a
 * string, structured values as JSON text). An empty string, an empty list and an empty map all mean "not set":
 * they are the declared defaults of optional keys in Pulumi.yaml.
 */

export const PROJECT = "virtual-agent";

export interface SettingsProblem {
  /** The full config key, e.g. `virtual-agent:genesysQueueName`. */
  key: string;
  message: string;
  /** The command that fixes it. */
  fix: string;
}

/** Raw config: full key → value as YAML holds it (string, number, boolean, list, map, `{secure}`) or as a JSON string. */
export type RawConfig = Record<string, unknown>;

export interface ParseOptions {
  /** Stack name, put into the fix commands as `--stack <name>`. */
  stack?: string;
  /**
   * Keys whose values are secrets even though they arrive as plain strings: a program reading config at run
   * time gets secrets decrypted, so it passes the secret keys (the language host lists them in the
   * PULUMI_CONFIG_SECRET_KEYS environment variable as a JSON array). Stack files mark them `{secure: ...}`.
   */
  secretKeys?: readonly string[];
}

/** The full key: `name` in the project's namespace unless it names its own (`aws:region`). */
export function fullKey(name: string): string {
  return name.includes(":") ? name : `${PROJECT}:${name}`;
}

const isEmpty = (v: unknown): boolean =>
  v === undefined ||
  v === null ||
  v === "" ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === "object" && v !== null && !Array.isArray(v) && !("secure" in v) && Object.keys(v).length === 0);

export class Reader {
  readonly problems: SettingsProblem[] = [];
  /** Every key the parser asked for, set or not: what the settings module reads (checked against Pulumi.yaml). */
  readonly keysRead = new Set<string>();

  constructor(
    private readonly raw: RawConfig,
    private readonly stack: string | undefined,
    private readonly secretKeys: readonly string[] = [],
  ) {}

  key(name: string): string {
    return fullKey(name);
  }

  /** `pulumi config set [--path|--secret] [--stack s] <key> <value>`, quoting keys the shell would mangle. */
  command(name: string, value: string, flags = ""): string {
    const stack = this.stack ? ` --stack ${this.stack}` : "";
    const key = this.key(name);
    return `pulumi config set${flags}${stack} ${/[[\]<>\s]/.test(key) ? `'${key}'` : key} ${value}`;
  }

  /** `pulumi config rm [--stack s] <key>`. */
  removeCommand(name: string): string {
    return `pulumi config rm${this.stack ? ` --stack ${this.stack}` : ""} ${this.key(name)}`;
  }

  /** Records a problem (once: rules that read the same key twice report it once). */
  problem(name: string, message: string, fix: string): void {
    const key = this.key(name);
    if (this.problems.some((p) => p.key === key && p.message === message)) return;
    this.problems.push({ key, message, fix });
  }

  private value(name: string): unknown {
    // Paths such as `genesysIntentActions.<Intent>.action` name a key's inner value, not a key.
    this.keysRead.add(this.key(name).replace(/[.[].*$/, ""));
    return this.raw[this.key(name)];
  }

  has(name: string): boolean {
    return !isEmpty(this.value(name));
  }

  isSecure(name: string): boolean {
    const v = this.value(name);
    return (typeof v === "object" && v !== null && "secure" in v) || this.secretKeys.includes(this.key(name));
  }

  /** Structured values may arrive as JSON text (pulumi.Config) or as YAML structures (the stack file). */
  private structured(name: string): unknown {
    const v = this.value(name);
    if (typeof v !== "string") return v;
    const t = v.trim();
    if (t.startsWith("[") || t.startsWith("{")) {
      try {
        return JSON.parse(t) as unknown;
      } catch {
        return v;
      }
    }
    return v;
  }

  string(name: string, opts: { required: true; example: string; why?: string }): string | undefined;
  string(name: string, opts?: { required?: false; example?: string }): string | undefined;
  string(name: string, opts: { required?: boolean; example?: string; why?: string } = {}): string | undefined {
    const v = this.value(name);
    if (isEmpty(v)) {
      if (opts.required) this.problem(name, `is not set${opts.why ? `: ${opts.why}` : ""}`, this.command(name, opts.example ?? "<value>"));
      return undefined;
    }
    if (typeof v !== "string" && typeof v !== "number") {
      this.problem(name, "must be a single value", this.command(name, opts.example ?? "<value>"));
      return undefined;
    }
    return String(v);
  }

  /** One of a fixed set of values (compared as given). */
  choice<T extends string>(name: string, choices: readonly T[], fallback: T): T {
    const v = this.string(name);
    if (v === undefined) return fallback;
    if ((choices as readonly string[]).includes(v)) return v as T;
    this.problem(name, `must be one of ${choices.join(", ")}, got "${v}"`, this.command(name, fallback));
    return fallback;
  }

  boolean(name: string, fallback: boolean): boolean {
    const v = this.value(name);
    if (isEmpty(v)) return fallback;
    if (typeof v === "boolean") return v;
    if (v === "true" || v === "false") return v === "true";
    this.problem(name, `must be true or false, got ${JSON.stringify(v)}`, this.command(name, String(!fallback)));
    return fallback;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const v = this.value(name);
    if (isEmpty(v)) return fallback;
    const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) {
      this.problem(name, `must be a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`, this.command(name, String(fallback)));
      return fallback;
    }
    return n;
  }

  list(name: string, example: string): string[] | undefined {
    const v = this.structured(name);
    if (isEmpty(v)) return undefined;
    if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v as string[];
    this.problem(name, "must be a list of strings", this.command(`${name}[0]`, example, " --path"));
    return undefined;
  }

  object(name: string, fixPath: string, fixValue: string): unknown {
    const v = this.structured(name);
    if (isEmpty(v)) return undefined;
    if (typeof v === "object") return v;
    this.problem(name, "must be a structured value", this.command(fixPath, fixValue, " --path"));
    return undefined;
  }
}

/** One line per problem: the message and the command that fixes it. */
export function formatProblems(problems: readonly SettingsProblem[]): string {
  return problems.map((p) => `  - ${p.key} ${p.message}\n      fix: ${p.fix}`).join("\n");
}
