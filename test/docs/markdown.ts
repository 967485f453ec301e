/**
 * The project's Markdown as a reader follows it: files, their links (parsed with markdown-it, so code blocks
 * and code spans are not mistaken for links) and the anchors GitHub gives their headings.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import MarkdownIt from "markdown-it";

export const ROOT = path.join(__dirname, "..", "..");

/** Generated, installed or machine-local folders: not the project's own text. */
const SKIPPED = new Set(["node_modules", ".git", "out", "test-results", "coverage", "dist", "bin", ".pulumi"]);

/** Every file under the project (relative paths), outside generated and installed folders. */
export function projectFiles(filter: (file: string) => boolean, dir = ROOT): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...projectFiles(filter, full));
    else if (filter(entry.name)) files.push(path.relative(ROOT, full));
  }
  return files.sort();
}

const md = new MarkdownIt({ html: true });

type Token = MarkdownIt.Token;

function inlineTokens(tokens: Token[]): Token[] {
  return tokens.flatMap((t) => (t.type === "inline" ? [t, ...(t.children ?? [])] : [t]));
}

/** Link and image targets of a Markdown text, in order. */
export function linksIn(text: string): string[] {
  return inlineTokens(md.parse(text, {})).flatMap((t) => {
    if (t.type === "link_open") return [String(t.attrGet("href") ?? "")];
    if (t.type === "image") return [String(t.attrGet("src") ?? "")];
    return [];
  });
}

/**
 * GitHub's anchor for a heading: lower case, everything but letters, marks, numbers, connector punctuation,
 * spaces and hyphens dropped, spaces made hyphens; repeats get -1, -2. (What the github-slugger package does;
 * it ships as an ES module only, which jest's CommonJS loader cannot require.)
 */
export function headingAnchors(text: string): Set<string> {
  const tokens = md.parse(text, {});
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  tokens.forEach((token, i) => {
    if (token.type !== "heading_open") return;
    const inline = tokens[i + 1];
    const rendered = (inline?.children ?? []).map((c) => c.content).join("");
    const base = rendered
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
      .replace(/ /g, "-");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  });
  return anchors;
}

export function read(file: string): string {
  return readFileSync(path.join(ROOT, file), "utf8");
}

/** Fenced code blocks of one language, in order. */
export function codeBlocks(text: string, language: string): string[] {
  return md
    .parse(text, {})
    .filter((t) => t.type === "fence" && t.info.trim() === language)
    .map((t) => t.content);
}
