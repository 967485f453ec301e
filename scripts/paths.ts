/**
 * Where the command-line tools (`npm start`, `npm run synth`, `npm run bot-list`) read bots from and write
 * their files to, so all of them agree and a mistake in BOTS_DIR gets one sentence instead of a stack trace.
 *
 * - BOTS_DIR [service/bots]: a relative path is taken from the current directory (npm runs scripts at the
 *   repository root), as the service takes it.
 * - SYNTH_OUT_DIR [out]: relative to the repository root.
 * - A stack's files go to `<out>/<stack>/` for the project's own bots, and to `<out>/<stack>@<folder>/` for
 *   another BOTS_DIR (`<folder>` is its last path segment), so trying out other bots never overwrites what
 *   the stack itself would deploy.
 */
import { statSync } from "node:fs";
import path from "node:path";

export const PROJECT_DIR = path.resolve(__dirname, "..");
export const DEFAULT_BOTS_DIR = path.join(PROJECT_DIR, "service", "bots");

/** A configuration mistake the user fixes in the environment: the message says what and how. */
export class BotsDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BotsDirError";
  }
}

/** The bots directory BOTS_DIR names (default service/bots); throws BotsDirError when it is not a directory. */
export function botsDirFrom(env: NodeJS.ProcessEnv): string {
  const raw = env.BOTS_DIR?.trim();
  const dir = raw ? path.resolve(raw) : DEFAULT_BOTS_DIR;
  let isDirectory: boolean;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch {
    throw new BotsDirError(`BOTS_DIR ${dir} does not exist; point BOTS_DIR at a folder of bot definitions (*.yaml), or leave it unset for service/bots`);
  }
  if (!isDirectory) throw new BotsDirError(`BOTS_DIR ${dir} is a file, not a folder; point BOTS_DIR at the folder that holds it`);
  return dir;
}

/** The folder a stack's rendered files go to (see the module comment). */
export function stackOutDir(env: NodeJS.ProcessEnv, stack: string, botsDir: string): string {
  const root = path.resolve(PROJECT_DIR, env.SYNTH_OUT_DIR?.trim() || "out");
  if (path.resolve(botsDir) === DEFAULT_BOTS_DIR) return path.join(root, stack);
  // Stack names cannot contain "@", so this never meets another stack's folder.
  const folder = path.basename(path.resolve(botsDir)).replace(/[^A-Za-z0-9_.-]/g, "-") || "bots";
  return path.join(root, `${stack}@${folder}`);
}
