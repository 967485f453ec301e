/**
 * A stack's configuration as the Pulumi CLI assembles it, read from disk without the CLI: the project's
 * `config:` defaults in Pulumi.yaml, overlaid by `config:` of `<stackConfigDir>/Pulumi.<stack>.yaml`. Secret
 * values stay encrypted (`{ secure: ... }`); nothing here decrypts them.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";

export interface StackFile {
  stack: string;
  file: string;
  /** Full key (`namespace:key`) → value. */
  config: Record<string, unknown>;
}

export class UnknownStackError extends Error {
  constructor(
    readonly stackName: string,
    readonly available: string[],
  ) {
    super(`unknown stack "${stackName}"; stacks in this project: ${available.length ? available.join(", ") : "(none)"}`);
    this.name = "UnknownStackError";
  }
}

/** A project or stack file that is not YAML, or not a map: the message names the file and the line. */
export class StackFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackFileError";
  }
}

function readYaml(file: string): unknown {
  try {
    return parseYaml(readFileSync(file, "utf8"));
  } catch (err) {
    // yaml's message already names the line and column and shows the spot.
    throw new StackFileError(`${file} is not valid YAML: ${(err as Error).message.trim()}`);
  }
}

interface ProjectFile {
  name?: string;
  stackConfigDir?: string;
  config?: Record<string, unknown>;
}

function readProject(projectDir: string): ProjectFile {
  const file = path.join(projectDir, "Pulumi.yaml");
  const parsed = readYaml(file);
  if (!parsed || typeof parsed !== "object") throw new StackFileError(`${file} is not a Pulumi project file`);
  return parsed as ProjectFile;
}

/** Stack names that have a `Pulumi.<stack>.yaml`, sorted. */
export function listStacks(projectDir: string): string[] {
  const project = readProject(projectDir);
  const dir = path.join(projectDir, project.stackConfigDir ?? ".");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

export function readStackConfig(projectDir: string, stack: string): StackFile {
  if (!/^[A-Za-z0-9_.-]+$/.test(stack)) throw new UnknownStackError(stack, listStacks(projectDir));
  const project = readProject(projectDir);
  const namespace = project.name ?? path.basename(projectDir);
  const dir = path.join(projectDir, project.stackConfigDir ?? ".");
  const file = [".yaml", ".yml"].map((ext) => path.join(dir, `Pulumi.${stack}${ext}`)).find((f) => existsSync(f));
  if (!file) throw new UnknownStackError(stack, listStacks(projectDir));
  const qualify = (key: string) => (key.includes(":") ? key : `${namespace}:${key}`);
  const config: Record<string, unknown> = {};
  // Project-level declarations: `key: value` or `key: { type, default, ... }`.
  for (const [key, decl] of Object.entries(project.config ?? {})) {
    const value = decl && typeof decl === "object" && !Array.isArray(decl) ? (decl as Record<string, unknown>).default ?? (decl as Record<string, unknown>).value : decl;
    if (value !== undefined) config[qualify(key)] = value;
  }
  const parsed = readYaml(file);
  if (parsed !== null && parsed !== undefined && (typeof parsed !== "object" || Array.isArray(parsed))) throw new StackFileError(`${file} is not a Pulumi stack file (a map with config:)`);
  const stackConfig = parsed && typeof parsed === "object" ? ((parsed as { config?: Record<string, unknown> }).config ?? {}) : {};
  for (const [key, value] of Object.entries(stackConfig)) config[qualify(key)] = value;
  return { stack, file, config };
}
