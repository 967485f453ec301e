import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { buildBotList } from "../../service/src/bots/botList";
import { loadBotDefinitions } from "../../service/src/bots/load";
import { placeholdersIn } from "../../components/genesys/flow/substitution";
import { minimalBot, toYaml } from "../bots/fixtures";
import { PIZZA_BOT_YAML, twoBotsDir } from "../fixtures/twoBots";
import { StackFileError, UnknownStackError } from "../../components/genesys/tooling/stackFile";
import { renderLocalStack } from "../../scripts/localStack";
import { main, SynthError, synthStack } from "../../scripts/synth";

const root = path.join(__dirname, "..", "..");
const botsDir = path.join(root, "service", "bots");

/** A folder with one bot whose say node leads nowhere. */
function brokenBotDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "broken-bot-"));
  const bot = minimalBot();
  (bot.nodes as Record<string, Record<string, unknown>>).hello!.next = "nowhere";
  writeFileSync(path.join(dir, "broken.yaml"), toYaml(bot));
  return dir;
}

/** The project's Pulumi.yaml and stack files in a temporary folder, with `extra` stack files added. */
function projectCopy(extra: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "synth-"));
  cpSync(path.join(root, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  cpSync(path.join(root, "stacks"), path.join(dir, "stacks"), { recursive: true });
  for (const [name, text] of Object.entries(extra)) writeFileSync(path.join(dir, "stacks", name), text);
  return dir;
}

describe("synthStack", () => {
  const dev = synthStack({ projectDir: root, stack: "dev", botsDir });

  it("is deterministic: the same inputs give byte-identical files", () => {
    expect(synthStack({ projectDir: root, stack: "dev", botsDir })).toEqual(dev);
  });

  it("writes the flow with every name substituted as the provider would, and nothing left as a placeholder", () => {
    const flow = dev.files["architect-flow.yaml"];
    expect(placeholdersIn(flow)).toEqual([]);
    const parsed = parse(flow) as { inboundShortMessage: { name: string } };
    expect(parsed.inboundShortMessage.name).toBe("Acme Virtual Agent DEV Inbound Message");
    expect(flow).toContain('"Acme Virtual Agent DEV Bot Connector":');
    expect(flow).toContain('name: "Acme Virtual Agent DEV Hand-over"');
    expect(flow).toContain("minutes: 30");
  });

  it("writes the bot list exactly as buildBotList (and npm run bot-list) produce it", () => {
    const definitions = loadBotDefinitions(botsDir).map((b) => b.definition);
    expect(JSON.parse(dev.files["bot-list.json"] as string)).toEqual(buildBotList(definitions));
  });

  it("summarises bots, versions, languages, intents with slots and their paths, the queue and the domains", () => {
    const summary = dev.files["summary.md"];
    expect(summary).toContain("### Acme Support (`acme-support`)");
    expect(summary).toContain("Version `1.0`, languages en-us, de-de — called by the flow");
    expect(summary).toContain("| AgentRequested | reason (String), topic (String) | participant data → transfer to queue \"Acme Virtual Agent DEV Hand-over\" (priority 0) |");
    expect(summary).toContain("| Goodbye | — | participant data → disconnect |");
    expect(summary).toContain("| Hand-over queue | Acme Virtual Agent DEV Hand-over (created by the stack) |");
    expect(summary).toContain("Allowed domains: `localhost`, `dev.acme.example`.");
    expect(summary).toContain("check with `npm run doctor -- dev`");
  });

  it("shows per-environment differences", () => {
    const prod = synthStack({ projectDir: root, stack: "prod", botsDir });
    expect(prod.files["bot-list.json"]).toBe(dev.files["bot-list.json"]);
    expect(prod.files["summary.md"]).toContain("| Hand-over queue | Acme Support (existing, looked up by name) |");
    expect(prod.files["architect-flow.yaml"]).toContain("lit: 10");
  });

  it("names the stacks that exist when one does not", () => {
    expect(() => synthStack({ projectDir: root, stack: "qa", botsDir })).toThrow(UnknownStackError);
    expect(() => synthStack({ projectDir: root, stack: "qa", botsDir })).toThrow(/unknown stack "qa"; stacks in this project: dev, prod, staging/);
  });

  describe("in a project with a broken stack file", () => {
    let dir: string;
    beforeAll(() => {
      dir = projectCopy({
        "Pulumi.broken.yaml": "config:\n  genesyscloud:awsRegion: eu-central-1\n  virtual-agent:genesysNamePrefix: Broken\n",
        "Pulumi.typo.yaml": "config:\n  genesyscloud:awsRegion: eu-central-1\n   virtual-agent:genesysNamePrefix: Typo\n",
      });
    });

    it("names the file and the line of a stack file that is not YAML", () => {
      const run = () => synthStack({ projectDir: dir, stack: "typo", botsDir });
      expect(run).toThrow(StackFileError);
      expect(run).toThrow(/stacks\/Pulumi\.typo\.yaml is not valid YAML: .*at line 2, column \d+/);
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("says which settings are missing and how to set them", () => {
      const run = () => synthStack({ projectDir: dir, stack: "broken", botsDir });
      expect(run).toThrow(SynthError);
      expect(run).toThrow(/settings of stack "broken" \(stacks\/Pulumi.broken.yaml\) are not valid:[\s\S]*virtual-agent:genesysQueueName is not set[\s\S]*fix: pulumi config set --stack broken virtual-agent:genesysQueueName/);
    });
  });
});

describe("with several bots", () => {
  let bots: string;
  let project: string;
  beforeAll(() => {
    bots = twoBotsDir();
    // The dev stack without the line that names its bot.
    const dev = readFileSync(path.join(root, "stacks", "Pulumi.dev.yaml"), "utf8");
    expect(dev).toContain("  virtual-agent:genesysBotId: acme-support\n");
    project = projectCopy({ "Pulumi.unnamed.yaml": dev.replace("  virtual-agent:genesysBotId: acme-support\n", "") });
  });
  afterAll(() => {
    rmSync(bots, { recursive: true, force: true });
    rmSync(project, { recursive: true, force: true });
  });

  it("renders the flow for the bot the stack names, and every bot into the bot list", () => {
    const dev = synthStack({ projectDir: root, stack: "dev", botsDir: bots });
    expect(JSON.parse(dev.files["bot-list.json"] as string).chatBots.map((b: { id: string }) => b.id)).toEqual(["acme-support", "pizza"]);
    expect(dev.files["architect-flow.yaml"]).toContain('"Acme Support":');
    expect(dev.files["summary.md"]).toContain("### Pizza Palace (`pizza`)");
  });

  it("says in one problem which key names the bot, and the command that sets it, when the stack names none", () => {
    const run = () => synthStack({ projectDir: project, stack: "unnamed", botsDir: bots });
    expect(run).toThrow(SynthError);
    expect(run).toThrow(
      `stack "unnamed" does not name a bot its flow can call:\n` +
        `  - virtual-agent:genesysBotId is not set, and ${bots} holds several bots (acme-support, pizza): name the one the flow calls\n` +
        "      fix: pulumi config set --stack unnamed virtual-agent:genesysBotId acme-support",
    );
    // One bot needs no name.
    expect(() => synthStack({ projectDir: project, stack: "unnamed", botsDir })).not.toThrow();
  });
});

describe("npm start's rendering (renderLocalStack)", () => {
  let out: string;
  let onlyPizza: string;
  beforeAll(() => {
    out = mkdtempSync(path.join(tmpdir(), "local-out-"));
    onlyPizza = mkdtempSync(path.join(tmpdir(), "only-pizza-"));
    cpSync(PIZZA_BOT_YAML, path.join(onlyPizza, "pizza.yaml"));
  });
  afterAll(() => {
    rmSync(out, { recursive: true, force: true });
    rmSync(onlyPizza, { recursive: true, force: true });
  });

  it("renders the stack's flow for each bot, the stack's own bot first", () => {
    const bots = twoBotsDir();
    try {
      const local = renderLocalStack({ projectDir: root, stack: "dev", botsDir: bots, env: { SYNTH_OUT_DIR: out } });
      expect([...local.flowFiles.keys()]).toEqual(["acme-support", "pizza"]);
      expect(local.dir).toBe(path.join(out, `dev@${path.basename(bots)}`));
      expect(readFileSync(local.flowFiles.get("pizza") as string, "utf8")).toContain("Acme Virtual Agent DEV Inbound Message");
      expect(local.choiceProblem).toBeUndefined();
    } finally {
      rmSync(bots, { recursive: true, force: true });
    }
  });

  it("still plays the bots there are when the stack names another, and says how to fix the stack", () => {
    const local = renderLocalStack({ projectDir: root, stack: "dev", botsDir: onlyPizza, env: { SYNTH_OUT_DIR: out } });
    expect([...local.flowFiles.keys()]).toEqual(["pizza"]);
    expect(local.choiceProblem).toContain("fix: pulumi config set --stack dev virtual-agent:genesysBotId pizza");
  });
});

describe("npm run synth", () => {
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(path.join(tmpdir(), "synth-out-"));
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("writes out/<stack>/ and fails clearly on bad usage", () => {
    const stdout = jest.spyOn(process.stdout, "write").mockImplementation(() => true);
    const stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      expect(main(["staging"], { SYNTH_OUT_DIR: out })).toBe(0);
      expect(readFileSync(path.join(out, "staging", "summary.md"), "utf8")).toContain("stack `staging`");
      expect(main([], {})).toBe(2);
      expect(main(["nope"], { SYNTH_OUT_DIR: out })).toBe(1);
      expect(stderr.mock.calls.map((c) => String(c[0])).join("")).toMatch(/usage: npm run synth -- <stack>[\s\S]*synth: unknown stack "nope"/);
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
  });

  it("writes another BOTS_DIR's files to out/<stack>@<folder>/, leaving out/<stack>/ alone", () => {
    const bots = twoBotsDir();
    const stdout = jest.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      expect(main(["dev"], { SYNTH_OUT_DIR: out, BOTS_DIR: bots })).toBe(0);
      const folder = `dev@${path.basename(bots)}`;
      expect(readFileSync(path.join(out, folder, "bot-list.json"), "utf8")).toContain('"id": "pizza"');
      expect(existsSync(path.join(out, "dev"))).toBe(false);
      expect(main(["dev"], { SYNTH_OUT_DIR: out })).toBe(0);
      expect(readFileSync(path.join(out, "dev", "bot-list.json"), "utf8")).not.toContain('"id": "pizza"');
    } finally {
      stdout.mockRestore();
      rmSync(bots, { recursive: true, force: true });
    }
  });

  it.each([
    ["a BOTS_DIR that does not exist", () => ({ BOTS_DIR: path.join(out, "missing") }), /^synth: BOTS_DIR \S+missing does not exist; point BOTS_DIR at a folder of bot definitions/],
    ["a BOTS_DIR that is a file", () => ({ BOTS_DIR: PIZZA_BOT_YAML }), /^synth: BOTS_DIR \S+pizza\.yaml is a file, not a folder/],
    ["an invalid bot", () => ({ BOTS_DIR: brokenBotDir() }), /^synth: invalid bot definition:\n {2}\S+broken\.yaml:\d+ \/nodes\/hello\/next: node "nowhere" does not exist/],
  ])("stops on %s with one message and no stack trace", (_what, env, message) => {
    const stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      expect(main(["dev"], { SYNTH_OUT_DIR: out, ...env() })).toBe(1);
      const text = stderr.mock.calls.map((c) => String(c[0])).join("");
      expect(text).toMatch(message);
      expect(text).not.toMatch(/\n\s+at /);
    } finally {
      stderr.mockRestore();
    }
  });
});
