/**
 * The documentation as a map a reader can follow: every relative link of every Markdown file leads to a file
 * of the repository (and to a heading there), nothing points outside it, every output path the docs name is
 * one `npm run synth` or `npm start` writes, the bot examples are valid bots, and the README stays a map.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { renderLocalStack } from "../../scripts/localStack";
import { main as synthMain } from "../../scripts/synth";
import { parseBotDefinition } from "../../service/src/bots/load";
import { PIZZA_BOT_YAML, SAMPLE_BOT_YAML } from "../fixtures/twoBots";
import { flowFilePathFor } from "../../stacks/settings/stack";
import { codeBlocks, headingAnchors, linksIn, projectFiles, read, ROOT } from "./markdown";

const markdownFiles = projectFiles((name) => name.endsWith(".md"));

/** A link's target within the repository: undefined for links that leave it on purpose (web pages, mail). */
function localTarget(from: string, href: string): { file: string; anchor?: string } | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href)) return undefined;
  const [target = "", anchor] = href.split("#", 2);
  const file = target === "" ? from : path.normalize(path.join(path.dirname(from), decodeURI(target)));
  return { file, ...(anchor !== undefined ? { anchor } : {}) };
}

describe("Markdown links", () => {
  it("finds the project's documents", () => {
    expect(markdownFiles).toEqual(
      expect.arrayContaining([
        "README.md",
        "docs/configuration.md",
        "docs/deploy.md",
        "docs/genesys-bot-connector.md",
        "docs/service.md",
        "docs/writing-bots.md",
        "emulator/README.md",
      ]),
    );
  });

  it.each(markdownFiles)("%s: every relative link resolves to a file in the repository, and to a heading there", (file) => {
    const broken: string[] = [];
    for (const href of linksIn(read(file))) {
      const target = localTarget(file, href);
      if (!target) continue;
      if (target.file.startsWith("..") || path.isAbsolute(target.file)) {
        broken.push(`${href}: outside the repository`);
        continue;
      }
      if (!existsSync(path.join(ROOT, target.file))) {
        broken.push(`${href}: no file ${target.file}`);
        continue;
      }
      if (target.anchor === undefined) continue;
      if (!target.file.endsWith(".md") || statSync(path.join(ROOT, target.file)).isDirectory()) {
        broken.push(`${href}: an anchor into something that is not a Markdown file`);
      } else if (!headingAnchors(read(target.file)).has(target.anchor)) {
        broken.push(`${href}: ${target.file} has no heading #${target.anchor}`);
      }
    }
    expect(broken).toEqual([]);
  });
});

describe("references", () => {
  // Spelled in two parts, so this file does not name what it looks for.
  const outside = ["shared/" + "reference", "../" + "shared/"];
  const textFiles = projectFiles((name) => /\.(md|ts|js|cjs|mjs|json|ya?ml|html|css|sh)$/.test(name) && name !== "package-lock.json");

  it("name no file outside the repository: facts the project relies on are in its own docs", () => {
    const found = textFiles.flatMap((file) => {
      const text = read(file);
      return outside.filter((needle) => text.includes(needle)).map((needle) => `${file}: ${needle}`);
    });
    expect(found).toEqual([]);
  });
});

describe("output paths the docs name", () => {
  let out: string;
  let otherBots: string;

  beforeAll(() => {
    out = mkdtempSync(path.join(tmpdir(), "docs-out-"));
    // The docs' example of another folder of bots is named my-bots.
    otherBots = path.join(mkdtempSync(path.join(tmpdir(), "docs-bots-")), "my-bots");
    mkdirSync(otherBots);
    for (const bot of [SAMPLE_BOT_YAML, PIZZA_BOT_YAML]) cpSync(bot, path.join(otherBots, path.basename(bot)));

    const stdout = jest.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      for (const env of [{ SYNTH_OUT_DIR: out }, { SYNTH_OUT_DIR: out, BOTS_DIR: otherBots }]) {
        expect(synthMain(["dev"], env)).toBe(0);
        renderLocalStack({ projectDir: ROOT, stack: "dev", botsDir: env.BOTS_DIR ?? path.join(ROOT, "service", "bots"), env });
      }
    } finally {
      stdout.mockRestore();
    }
  });
  afterAll(() => {
    rmSync(out, { recursive: true, force: true });
    rmSync(path.dirname(otherBots), { recursive: true, force: true });
  });

  /** Every `out/...` path a document names, with its placeholders filled in as the docs' examples fill them. */
  function namedPaths(text: string): string[] {
    const decoded = text.replace(/&lt;/g, "<").replace(/&gt;/g, ">");
    // A path is made of path characters and placeholders such as <bot id>; a sentence's full stop is not part of it.
    return [...decoded.matchAll(/(?<![\w/.-])out\/(?:<[^<>\n]*>|[\w@./-])*/g)].map((m) => m[0].replace(/(?<!\/)\.+$/, ""));
  }

  const fill = (named: string) =>
    named
      .replace(/<stack>/g, "dev")
      .replace(/<bot id>|<bot>/g, "acme-support")
      .replace(/<folder>/g, "my-bots")
      .replace(/^out\//, "");

  // The one file the stack program itself writes (under `pulumi preview`/`up`, not synth): the Flow resource's YAML.
  const programWrites = (named: string) => `out/${fill(named)}` === flowFilePathFor("dev");

  it.each(markdownFiles)("%s: each exists after npm run synth -- dev and npm start's rendering", (file) => {
    const missing = namedPaths(read(file))
      .map((named) => ({ named, file: path.join(out, fill(named)) }))
      .filter(({ named, file: f }) => !existsSync(f) && !programWrites(named))
      .map(({ named }) => named);
    expect(missing).toEqual([]);
  });

  it("include the files synth and npm start write, so the check above has something to check", () => {
    const all = markdownFiles.flatMap((file) => namedPaths(read(file))).map(fill);
    expect(all).toEqual(expect.arrayContaining(["dev/architect-flow.yaml", "dev/bot-list.json", "dev/bots/acme-support/architect-flow.yaml", "dev@my-bots/"]));
  });
});

describe("docs/writing-bots.md", () => {
  const guide = read("docs/writing-bots.md");

  it("shows complete bots that load as they are", () => {
    const bots = codeBlocks(guide, "yaml").filter((block) => /^id: /m.test(block));
    expect(bots.length).toBeGreaterThan(0);
    for (const bot of bots) expect(() => parseBotDefinition(bot, "docs/writing-bots.md")).not.toThrow();
  });

  it("has an example of every node kind, and the sections issue 13 fills in", () => {
    for (const heading of ["say", "question", "optionalquestion", "branch", "set", "complete", "handover", "upstream"]) expect(headingAnchors(guide)).toContain(heading);
    for (const heading of ["hand-over", "how-answers-are-understood", "how-intents-are-matched", "languages-and-the-flows-own-messages"]) expect(headingAnchors(guide)).toContain(heading);
  });
});

describe("README.md", () => {
  const readme = read("README.md");

  it("is a map: short, with the two quick-start commands CI and newcomers run", () => {
    expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(15 * 1024);
    expect(readme).toContain("npm ci && npm start");
    expect(readme).toContain("npm ci && npm test");
  });

  it("lists the reference documents", () => {
    const links = linksIn(readme.slice(readme.indexOf("## Reference")));
    for (const doc of ["docs/writing-bots.md", "docs/deploy.md", "docs/configuration.md", "docs/service.md", "docs/genesys-bot-connector.md"]) expect(links).toContain(doc);
  });
});
