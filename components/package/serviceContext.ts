/**
 * The service image's build context for a component-package user: the package's own `service/` (exactly what
 * its `.dockerignore` sends to Docker, plus the Dockerfile and that ignore file) with the user's bot definitions
 * in place of the sample ones under `bots/`.
 *
 * Why a copy: the image bakes the bot definitions in (service/Dockerfile copies `bots/`), Docker reads a build
 * context from one directory, and the user's bots live in their program's directory while the service source
 * lives in the package's (a clone under ~/.pulumi/plugins). The copy sits at a fixed path relative to the
 * program's directory, so the image's build input, and the content-addressed tag (contextDigest), are the same
 * on every machine; it is rewritten only where it differs, and files that no longer belong are removed, so it
 * always equals what would be built.
 */
import fs from "node:fs";
import path from "node:path";
import { contextEntries } from "../aws/buildContext";

/** Where this package keeps what it generates, relative to the program's directory (add it to .gitignore). */
export const WORK_DIR = ".virtual-agent";

/** Files a bot definition directory contributes (as loadBotDefinitions reads them: the top level only). */
const DEFINITION_FILE = /\.(ya?ml|json)$/i;

/** At most this many bot definition files are copied; a larger directory is almost certainly the wrong one. */
export const MAX_BOT_FILES = 200;

export interface StageInput {
  /** The package's service directory (its Dockerfile and .dockerignore decide what is copied). */
  serviceDir: string;
  /** The user's bot definitions. */
  botsDir: string;
  /** The staging directory; must lie inside `<workRoot>/.virtual-agent/`. */
  target: string;
  /** The program's directory (default: the working directory). */
  workRoot?: string;
}

export interface StageResult {
  /** Files written because they were new or differed. */
  written: string[];
  /** Files removed because they no longer belong. */
  removed: string[];
}

/** The staging directory of one component, relative to the program's directory. */
export function stagedContextPath(componentName: string): string {
  return path.posix.join(WORK_DIR, componentName, "service");
}

/** The files (context-relative path → source) the staged context must hold. */
function wantedFiles(serviceDir: string, botsDir: string): Map<string, string> {
  const wanted = new Map<string, string>();
  for (const entry of contextEntries(serviceDir, path.join(serviceDir, "Dockerfile"))) {
    if (entry.rel === "bots" || entry.rel.startsWith("bots/")) continue;
    if (entry.kind === "l") throw new Error(`${path.join(serviceDir, entry.rel)} is a symbolic link; the staged build context copies files only`);
    if (entry.kind === "f") wanted.set(entry.rel, entry.full);
  }
  for (const name of ["Dockerfile", ".dockerignore"]) wanted.set(name, path.join(serviceDir, name));
  const bots = fs
    .readdirSync(botsDir, { withFileTypes: true })
    .filter((d) => d.isFile() && DEFINITION_FILE.test(d.name))
    .map((d) => d.name)
    .sort();
  if (bots.length > MAX_BOT_FILES) throw new Error(`${botsDir} holds ${bots.length} definition files; at most ${MAX_BOT_FILES} are built into the image`);
  for (const name of bots) wanted.set(`bots/${name}`, path.join(botsDir, name));
  return wanted;
}

function sameContent(a: string, b: string): boolean {
  try {
    const sa = fs.statSync(a);
    const sb = fs.statSync(b);
    return sa.size === sb.size && (sa.mode & 0o777) === (sb.mode & 0o777) && fs.readFileSync(a).equals(fs.readFileSync(b));
  } catch {
    return false;
  }
}

/** Every file under `dir`, as slash paths relative to it. */
function filesUnder(dir: string, rel = ""): string[] {
  if (!fs.existsSync(path.join(dir, rel))) return [];
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((d) => {
    const child = rel ? `${rel}/${d.name}` : d.name;
    return d.isDirectory() ? filesUnder(dir, child) : [child];
  });
}

function removeEmptyDirs(dir: string): void {
  for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!d.isDirectory()) continue;
    const child = path.join(dir, d.name);
    removeEmptyDirs(child);
    if (fs.readdirSync(child).length === 0) fs.rmdirSync(child);
  }
}

/** Makes `target` hold exactly the service's context with the user's bots; returns what changed. */
export function stageServiceContext(input: StageInput): StageResult {
  const workRoot = path.resolve(input.workRoot ?? process.cwd());
  const target = path.resolve(workRoot, input.target);
  const reserved = path.join(workRoot, WORK_DIR) + path.sep;
  // It deletes what does not belong: never anywhere but in the directory this package reserves.
  if (!target.startsWith(reserved)) throw new Error(`the staged build context must lie inside ${reserved}, got ${target}`);

  const wanted = wantedFiles(path.resolve(input.serviceDir), path.resolve(workRoot, input.botsDir));
  const result: StageResult = { written: [], removed: [] };
  for (const rel of filesUnder(target).sort()) {
    if (!wanted.has(rel)) {
      fs.rmSync(path.join(target, rel));
      result.removed.push(rel);
    }
  }
  for (const [rel, source] of [...wanted].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const destination = path.join(target, rel);
    if (sameContent(source, destination)) continue;
    fs.mkdirSync(path.dirname(destination), { recursive: true });
    fs.copyFileSync(source, destination);
    fs.chmodSync(destination, fs.statSync(source).mode & 0o777);
    result.written.push(rel);
  }
  if (fs.existsSync(target)) removeEmptyDirs(target);
  return result;
}
