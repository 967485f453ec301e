/**
 * A content digest of a docker build context, used as the image tag.
 *
 * Why: the ECR repository has immutable tags, so a tag can be pushed once. The docker provider rebuilds
 * and pushes whenever the build context changes (it hashes the context itself, honouring
 * `.dockerignore`), so the tag must change exactly when the content does: a fixed tag would fail the
 * second push, and a per-commit tag would rebuild and redeploy on every infrastructure-only change.
 *
 * The ignore rules follow Docker's (moby/patternmatcher, as read by BuildKit's dockerignore parser):
 * patterns relative to the context root, `*` and `?` within one path segment, `**` across segments,
 * `!` re-includes, the last matching pattern wins, and a pattern matching a directory covers everything
 * below it. Where this could differ from Docker, it errs towards hashing more, which costs at most an
 * extra build, never a failed push.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

interface IgnorePattern {
  exclusion: boolean;
  cleaned: string;
  matchType: "exact" | "prefix" | "suffix" | "regexp";
  regexp?: RegExp;
}

/** Go's filepath.Clean on a slash path. */
function cleanPath(p: string): string {
  if (p === "") return ".";
  const rooted = p.startsWith("/");
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!rooted) out.push("..");
      continue;
    }
    out.push(part);
  }
  const joined = out.join("/");
  return rooted ? `/${joined}` : joined || ".";
}

const REGEXP_SPECIALS = new Set([".", "+", "(", ")", "|", "{", "}", "$"]);

/** Compiles one cleaned pattern the way moby/patternmatcher does, match type included. */
function compile(pattern: string, exclusion: boolean): IgnorePattern {
  let regStr = "^";
  let matchType: IgnorePattern["matchType"] = "exact";
  const chars = [...pattern];
  let pos = 0;
  for (let iteration = 0; pos < chars.length; iteration++) {
    const ch = chars[pos++]!;
    if (ch === "*") {
      if (chars[pos] === "*") {
        pos++;
        if (chars[pos] === "/") pos++;
        if (pos >= chars.length) {
          if (matchType === "exact") matchType = "prefix";
          else {
            regStr += ".*";
            matchType = "regexp";
          }
        } else {
          regStr += "(.*/)?";
          matchType = "regexp";
        }
        if (iteration === 0) matchType = "suffix";
      } else {
        regStr += "[^/]*";
        matchType = "regexp";
      }
    } else if (ch === "?") {
      regStr += "[^/]";
      matchType = "regexp";
    } else if (REGEXP_SPECIALS.has(ch)) {
      regStr += `\\${ch}`;
    } else if (ch === "\\") {
      regStr += pos < chars.length ? `\\${chars[pos++]}` : "\\\\";
    } else if (ch === "[" || ch === "]") {
      // Go's `[!...]` negation is `[^...]` in a RegExp.
      if (ch === "[" && chars[pos] === "!") {
        pos++;
        regStr += "[^";
      } else regStr += ch;
      matchType = "regexp";
    } else {
      regStr += ch;
    }
  }
  const compiled: IgnorePattern = { exclusion, cleaned: pattern, matchType };
  if (matchType === "regexp") {
    try {
      compiled.regexp = new RegExp(`${regStr}$`, "u");
    } catch {
      throw new Error(`.dockerignore pattern "${pattern}" is not valid`);
    }
  }
  return compiled;
}

function matches(p: IgnorePattern, file: string): boolean {
  switch (p.matchType) {
    case "exact":
      return file === p.cleaned;
    case "prefix":
      return file.startsWith(p.cleaned.slice(0, -2));
    case "suffix": {
      // A leading `**`: any number of leading segments, none included (`**/foo` matches `foo`).
      const suffix = p.cleaned.slice(2);
      return file.endsWith(suffix) || (suffix.startsWith("/") && file === suffix.slice(1));
    }
    case "regexp":
      return p.regexp!.test(file);
  }
}

/** A parsed `.dockerignore`. */
export class DockerIgnore {
  private readonly patterns: IgnorePattern[];

  constructor(text: string) {
    this.patterns = [];
    for (const raw of text.replace(/^\uFEFF/, "").split(/\r?\n/)) {
      if (raw.startsWith("#")) continue;
      let line = raw.trim();
      if (line === "") continue;
      const exclusion = line.startsWith("!");
      if (exclusion) line = line.slice(1).trim();
      if (line === "") throw new Error('.dockerignore has an exclusion pattern "!" with nothing after it');
      line = cleanPath(line);
      if (line.length > 1 && line.startsWith("/")) line = line.slice(1);
      this.patterns.push(compile(line, exclusion));
    }
  }

  /**
   * Whether an ignored directory may still hold files a `!` pattern brings back, judged from each
   * exclusion's literal leading segments (before any wildcard), as Docker's walker does: `!src/**`
   * can only reach into `src`, so an ignored `node_modules` is skipped without being read.
   */
  mayReinclude(dir: string): boolean {
    const dirSegments = dir.split("/");
    return this.patterns.some((p) => {
      if (!p.exclusion) return false;
      const literal: string[] = [];
      for (const segment of p.cleaned.split("/")) {
        if (/[*?[\\]/.test(segment)) break;
        literal.push(segment);
      }
      const common = Math.min(literal.length, dirSegments.length);
      for (let i = 0; i < common; i++) if (literal[i] !== dirSegments[i]) return false;
      return true;
    });
  }

  /** Whether Docker leaves this context-relative slash path out of the build context. */
  ignores(file: string): boolean {
    const parents = file.split("/").slice(0, -1);
    let ignored = false;
    for (const pattern of this.patterns) {
      if (pattern.exclusion !== ignored) continue;
      let match = matches(pattern, file);
      for (let i = 1; !match && i <= parents.length; i++) match = matches(pattern, parents.slice(0, i).join("/"));
      if (match) ignored = !pattern.exclusion;
    }
    return ignored;
  }
}

export interface ContextDigestInput {
  /** The build context directory. */
  context: string;
  /** The Dockerfile (it may live outside the context). */
  dockerfile: string;
  /** Further build settings that change the image: platform, target, build args. */
  settings: Record<string, string | undefined>;
  /** Refuse contexts with more entries than this (default 20 000): a missing `.dockerignore` otherwise hashes node_modules. */
  maxEntries?: number;
}

/** The ignore file BuildKit uses: `<Dockerfile>.dockerignore` next to the Dockerfile wins over `<context>/.dockerignore`. */
export function ignoreFileFor(context: string, dockerfile: string): string | undefined {
  for (const candidate of [`${dockerfile}.dockerignore`, path.join(context, ".dockerignore")]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** One entry Docker sends in a build context: a directory, a file (with its executable bit) or a symbolic link. */
export type ContextEntry =
  | { kind: "d"; rel: string }
  | { kind: "f"; rel: string; full: string; executable: boolean }
  | { kind: "l"; rel: string; target: string };

/**
 * Every entry of `context` its ignore file lets through, in a stable order (sorted by name, depth first), as
 * context-relative slash paths. Refuses contexts with more than `maxEntries` entries (default 20 000).
 */
export function contextEntries(context: string, dockerfile: string, maxEntries = 20_000): ContextEntry[] {
  const root = path.resolve(context);
  const ignoreFile = ignoreFileFor(root, path.resolve(dockerfile));
  const ignore = new DockerIgnore(ignoreFile ? fs.readFileSync(ignoreFile, "utf8") : "");
  const entries: ContextEntry[] = [];
  const walk = (relDir: string): void => {
    const dir = path.join(root, relDir);
    for (const dirent of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const rel = relDir ? `${relDir}/${dirent.name}` : dirent.name;
      const ignored = ignore.ignores(rel);
      if (dirent.isDirectory()) {
        if (ignored && !ignore.mayReinclude(rel)) continue;
        if (!ignored) entries.push({ kind: "d", rel });
        walk(rel);
      } else if (!ignored) {
        const full = path.join(root, rel);
        if (dirent.isSymbolicLink()) entries.push({ kind: "l", rel, target: fs.readlinkSync(full) });
        else if (dirent.isFile()) entries.push({ kind: "f", rel, full, executable: (fs.statSync(full).mode & 0o111) !== 0 });
      }
      if (entries.length > maxEntries) {
        throw new Error(`the build context ${root} has more than ${maxEntries} entries; list what the image does not need (node_modules, .git, test data) in its .dockerignore`);
      }
    }
  };
  walk("");
  return entries;
}

/** sha256 (hex) over every path and file the context sends to Docker, the Dockerfile, the ignore file and the settings. */
export function contextDigest(input: ContextDigestInput): string {
  const context = path.resolve(input.context);
  const ignoreFile = ignoreFileFor(context, path.resolve(input.dockerfile));
  const ignoreText = ignoreFile ? fs.readFileSync(ignoreFile, "utf8") : "";
  const entries = contextEntries(context, input.dockerfile, input.maxEntries).map((e) => {
    if (e.kind === "d") return `d ${e.rel}`;
    if (e.kind === "l") return `l ${e.rel} ${e.target}`;
    return `f ${e.rel} ${e.executable ? "x" : "-"} ${createHash("sha256").update(fs.readFileSync(e.full)).digest("hex")}`;
  });

  const hash = createHash("sha256");
  hash.update(`dockerfile ${createHash("sha256").update(fs.readFileSync(input.dockerfile)).digest("hex")}\n`);
  hash.update(`dockerignore ${createHash("sha256").update(ignoreText).digest("hex")}\n`);
  for (const key of Object.keys(input.settings).sort()) hash.update(`setting ${key}=${input.settings[key] ?? ""}\n`);
  for (const entry of entries) hash.update(`${entry}\n`);
  return hash.digest("hex");
}

/** The image tag for a context digest: valid as a Docker tag, unique per content. */
export function contextTag(digest: string): string {
  return `src-${digest.slice(0, 32)}`;
}
