import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { buildBotList } from "../../service/src/bots/botList";
import { loadBotDefinitions } from "../../service/src/bots/load";
import { placeholdersIn } from "../../components/genesys/flow/substitution";
import { UnknownStackError } from "../../components/genesys/tooling/stackFile";
import { main, SynthError, synthStack } from "../../scripts/synth";

const root = path.join(__dirname, "..", "..");
const botsDir = path.join(root, "service", "bots");

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
      dir = mkdtempSync(path.join(tmpdir(), "synth-"));
      cpSync(path.join(root, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
      cpSync(path.join(root, "stacks"), path.join(dir, "stacks"), { recursive: true });
      writeFileSync(path.join(dir, "stacks", "Pulumi.broken.yaml"), "config:\n  genesyscloud:awsRegion: eu-central-1\n  virtual-agent:genesysNamePrefix: Broken\n");
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("says which settings are missing and how to set them", () => {
      const run = () => synthStack({ projectDir: dir, stack: "broken", botsDir });
      expect(run).toThrow(SynthError);
      expect(run).toThrow(/settings of stack "broken" \(stacks\/Pulumi.broken.yaml\) are not valid:[\s\S]*virtual-agent:genesysQueueName is not set[\s\S]*fix: pulumi config set --stack broken virtual-agent:genesysQueueName/);
    });
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
});
