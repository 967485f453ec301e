import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { BotDefinitionError, formatIssue, loadBotDefinitions, parseBotDefinition, validateBotSet } from "../../service/src/bots/load";
import { loadSampleBot, minimalBot, objectIssues, parseObject, SAMPLE_BOT_FILE, SAMPLE_BOTS_DIR, toYaml, yamlIssues } from "./fixtures";

/** A valid definition as YAML text, one property per line, so tests can point at exact lines. */
const MINI_YAML = `id: mini
name: Mini
version: "1"
defaultLanguage: en
languages: [en]
intents:
  Done: {}
start: hello
nodes:
  hello:
    say:
      - text: Hi
    next: end
  end:
    complete:
      intent: Done
`;

describe("parseBotDefinition", () => {
  it("accepts the minimal definition and defaults channels to webmessaging", () => {
    const def = parseBotDefinition(MINI_YAML, "mini.yaml");
    expect(def.id).toBe("mini");
    expect(def.channels).toEqual(["webmessaging"]);
    expect(def.nodes.hello?.next).toBe("end");
  });

  it("accepts JSON text as well as YAML", () => {
    expect(parseBotDefinition(JSON.stringify(minimalBot()), "mini.json").name).toBe("Mini");
  });

  it("normalises lower-case slot types to the capitalised Genesys form", () => {
    const bot = minimalBot();
    bot.intents = { Done: { slots: { a: "string", b: "integercollection", c: "DateTime".toLowerCase() } } };
    expect(parseObject(bot).intents.Done?.slots).toEqual({ a: "String", b: "IntegerCollection", c: "Datetime" });
  });

  it("loads the sample bot cleanly", () => {
    const def = loadSampleBot();
    expect(def.id).toBe("acme-support");
    expect(def.languages).toEqual(["en-us", "de-de"]);
    expect(Object.keys(def.intents)).toEqual(["OrderStatus", "ReturnCreated", "AgentRequested", "Handover", "Goodbye"]);
    expect(def.defaultHandoverIntent).toBe("Handover");
  });

  describe("schema errors name the file, the JSON path and the line", () => {
    it("reports an unknown property at the line of its key", () => {
      const source = MINI_YAML.replace("    next: end\n", "    colour: blue\n    next: end\n");
      expect(yamlIssues(source, "bots/mini.yaml")).toEqual([
        { file: "bots/mini.yaml", path: "/nodes/hello/colour", line: 13, message: "is not a known property" },
      ]);
    });

    it("reports an unknown property whose value is a block map at the line of its key, not of the value", () => {
      const source = MINI_YAML.replace("    next: end\n", "    extra:\n      nested: 1\n    next: end\n");
      expect(yamlIssues(source)).toEqual([expect.objectContaining({ path: "/nodes/hello/extra", line: 13 })]);
    });

    it("reports a wrong enum value with the allowed values", () => {
      const source = MINI_YAML.replace("languages: [en]\n", "languages: [en]\nchannels: [telegram]\n");
      const [issue] = yamlIssues(source);
      expect(issue).toMatchObject({ path: "/channels/0", line: 6 });
      expect(issue?.message).toMatch(/must be one of "webmessaging", .*"open"/);
    });

    it("reports a wrong answer type as an enum error at the answer's type", () => {
      const source = MINI_YAML.replace("    say:\n      - text: Hi\n", "    question:\n      prompt: [{ text: Hi }]\n      var: x\n      answer: { type: colour }\n");
      expect(yamlIssues(source)).toEqual([
        expect.objectContaining({ path: "/nodes/hello/question/answer/type", line: 14, message: expect.stringMatching(/must be one of "text"/) }),
      ]);
    });

    it("reports a property that does not belong to the answer type", () => {
      const source = MINI_YAML.replace("    say:\n      - text: Hi\n", "    question:\n      prompt: [{ text: Hi }]\n      var: x\n      answer: { type: number, regex: x }\n");
      expect(yamlIssues(source)).toEqual([expect.objectContaining({ path: "/nodes/hello/question/answer/regex", message: "is not a known property" })]);
    });

    it("reports a missing required property at the object that lacks it", () => {
      const source = MINI_YAML.replace("start: hello\n", "");
      expect(yamlIssues(source)).toEqual([{ file: "inline.yaml", path: "/", line: 1, message: 'missing required property "start"' }]);
    });

    it("reports a postback without payload and a link without url", () => {
      const bot = minimalBot();
      bot.nodes = {
        hello: {
          say: [{ card: { title: "T", actions: [{ type: "postback", label: "A" }, { type: "link", label: "B", payload: "p" }] } }],
          next: "end",
        },
        end: { complete: { intent: "Done" } },
      };
      const issues = objectIssues(bot);
      expect(issues).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ path: "/nodes/hello/say/0/card/actions/0", message: 'missing required property "payload"' }),
          expect.objectContaining({ path: "/nodes/hello/say/0/card/actions/1", message: 'missing required property "url"' }),
          expect.objectContaining({ path: "/nodes/hello/say/0/card/actions/1/payload", message: "is not a known property" }),
        ]),
      );
      // The if/then wrapper errors ("must match then schema") add nothing and are left out.
      expect(issues.map((i) => i.message)).not.toContain('must match "then" schema');
    });

    it("reports a wrong type", () => {
      const bot = minimalBot();
      bot.languages = "en";
      expect(objectIssues(bot)).toEqual([expect.objectContaining({ path: "/languages", message: "must be array" })]);
    });

    it("reports an empty file as not an object, at line 1", () => {
      expect(yamlIssues("", "empty.yaml")).toEqual([{ file: "empty.yaml", path: "/", line: 1, message: "must be object" }]);
    });

    it("reports a payload containing the reserved '#'", () => {
      const bot = minimalBot();
      bot.nodes = { hello: { say: [{ text: "Hi", quickReplies: [{ label: "A", payload: "a#b" }] }], next: "end" }, end: { complete: { intent: "Done" } } };
      expect(objectIssues(bot)).toEqual([expect.objectContaining({ path: "/nodes/hello/say/0/quickReplies/0/payload" })]);
    });
  });

  describe("YAML errors", () => {
    it("rejects duplicate keys at the line of the repeated key", () => {
      const source = MINI_YAML.replace("  end:\n", "  hello:\n    say: [{ text: again }]\n    next: end\n  end:\n");
      const issues = yamlIssues(source, "dup.yaml");
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ file: "dup.yaml", path: "/", line: 14 });
      expect(issues[0]?.message).toMatch(/^YAML: .*unique/);
    });

    it("rejects invalid YAML with its line", () => {
      const issues = yamlIssues("id: mini\nname: [unclosed\nversion: 1\n", "broken.yaml");
      expect(issues.length).toBeGreaterThan(0);
      for (const issue of issues) {
        expect(issue.file).toBe("broken.yaml");
        expect(issue.message).toMatch(/^YAML: /);
        expect(issue.line).toBeGreaterThanOrEqual(2);
      }
    });

    it("rejects tab indentation", () => {
      expect(yamlIssues("id: mini\nnodes:\n\thello: 1\n")[0]).toMatchObject({ line: 3, message: expect.stringMatching(/^YAML: .*[Tt]ab/) });
    });

    it("rejects several documents in one file", () => {
      expect(yamlIssues(MINI_YAML + "---\nid: other\n")[0]?.message).toMatch(/multiple documents/);
    });

    it("rejects an alias bomb with a BotDefinitionError instead of crashing", () => {
      const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
      for (const [name, prev] of [["b", "a"], ["c", "b"], ["d", "c"]]) bomb.push(`${name}: &${name} [${Array(10).fill("*" + prev).join(", ")}]`);
      bomb.push(`e: [${Array(10).fill("*d").join(", ")}]`);
      const issues = yamlIssues(bomb.join("\n") + "\n", "bomb.yaml");
      expect(issues).toEqual([expect.objectContaining({ file: "bomb.yaml", path: "/", message: expect.stringMatching(/^YAML: .*alias/i) })]);
    });
  });

  it("formats every issue of the error message as file:line path: message", () => {
    const source = MINI_YAML.replace("    next: end\n", "    colour: blue\n    next: end\n").replace("languages: [en]\n", "languages: [en]\nchannels: [fax]\n");
    let error: unknown;
    try {
      parseBotDefinition(source, "service/bots/mini.yaml");
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(BotDefinitionError);
    const message = (error as BotDefinitionError).message;
    expect(message).toContain("service/bots/mini.yaml:6 /channels/0: must be one of");
    expect(message).toContain("service/bots/mini.yaml:14 /nodes/hello/colour: is not a known property");
    expect(formatIssue({ file: "f.yaml", path: "/x", message: "m" })).toBe("f.yaml /x: m");
  });

  it("locates semantic errors at the line of the offending key", () => {
    const source = MINI_YAML.replace("    next: end\n", "    next: nowhere\n");
    expect(yamlIssues(source, "mini.yaml")).toEqual([
      { file: "mini.yaml", path: "/nodes/hello/next", line: 13, message: 'node "nowhere" does not exist' },
    ]);
  });
});

describe("loadBotDefinitions and cross-file checks", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "bots-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (file: string, definition: unknown) => writeFileSync(path.join(dir, file), typeof definition === "string" ? definition : toYaml(definition));
  const version = (v: string, patch: Record<string, unknown> = {}) => ({ ...minimalBot(), version: v, ...patch });
  const loadIssues = () => {
    try {
      loadBotDefinitions(dir);
    } catch (err) {
      if (err instanceof BotDefinitionError) return err.issues;
      throw err;
    }
    throw new Error("expected loadBotDefinitions to fail");
  };

  it("loads the sample bots directory", () => {
    const bots = loadBotDefinitions(SAMPLE_BOTS_DIR);
    expect(bots.map((b) => b.file)).toContain(SAMPLE_BOT_FILE);
  });

  it("loads *.yaml, *.yml and *.json sorted by file name and ignores other files", () => {
    write("b.yml", version("2"));
    write("a.yaml", version("1"));
    write("c.json", JSON.stringify(version("3")));
    write("notes.txt", "not a bot");
    expect(loadBotDefinitions(dir).map((b) => [path.basename(b.file), b.definition.version])).toEqual([
      ["a.yaml", "1"],
      ["b.yml", "2"],
      ["c.json", "3"],
    ]);
  });

  it("collects the problems of every file instead of stopping at the first", () => {
    write("a.yaml", { ...minimalBot(), start: "missing" });
    write("b.yaml", "id: [");
    const issues = loadIssues();
    expect(issues.map((i) => path.basename(i.file))).toEqual(expect.arrayContaining(["a.yaml", "b.yaml"]));
  });

  it("rejects an empty or missing directory", () => {
    expect(loadIssues()[0]?.message).toMatch(/no bot definitions/);
    rmSync(dir, { recursive: true });
    expect(loadIssues()[0]?.message).toMatch(/cannot read the bots directory/);
  });

  it("rejects the same id and version in two files, naming both, with a line", () => {
    write("a.yaml", version("1"));
    write("b.yaml", version("1"));
    expect(loadIssues()).toEqual([
      {
        file: path.join(dir, "b.yaml"),
        path: "/version",
        line: 3,
        message: `bot "mini" version "1" is also defined in ${path.join(dir, "a.yaml")}`,
      },
    ]);
  });

  it("rejects a name that differs between versions of one bot", () => {
    write("a.yaml", version("1"));
    write("b.yaml", version("2", { name: "Renamed" }));
    expect(loadIssues()).toEqual([
      expect.objectContaining({ file: path.join(dir, "b.yaml"), path: "/name", line: 2, message: expect.stringMatching(/named "Mini" .*one name/) }),
    ]);
  });

  it("rejects two bots with one name, ignoring case (Genesys sends the name as botId)", () => {
    write("a.yaml", version("1"));
    write("b.yaml", version("1", { id: "other", name: "MINI" }));
    expect(loadIssues()).toEqual([expect.objectContaining({ path: "/name", message: 'name "MINI" is also used by bot "mini"' })]);
  });

  it("rejects a bot whose name is another bot's id (botId would resolve to the wrong bot)", () => {
    write("a.yaml", version("1", { id: "alpha", name: "Alpha Bot" }));
    write("b.yaml", version("1", { id: "beta", name: "alpha" }));
    expect(loadIssues()).toEqual([
      { file: path.join(dir, "b.yaml"), path: "/name", line: 2, message: expect.stringMatching(/name "alpha" is the id of bot "alpha"/) },
    ]);
  });

  it("accepts several versions of one bot", () => {
    write("v1.yaml", version("1"));
    write("v2.yaml", version("2"));
    expect(validateBotSet(loadBotDefinitions(dir))).toEqual([]);
  });
});
