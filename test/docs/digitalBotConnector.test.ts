/**
 * docs/digital-bot-connector.md tells the truth about the code: its example bot loads and is the one the v2 tests
 * use, every setting the service reads for v2 and every v2 metric it registers is documented, and every section
 * the emulator's rules cite exists.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Registry } from "prom-client";
import { parse as parseYaml } from "yaml";
import { DIGITAL_RULES } from "../../emulator/digital/rules";
import { parseBotDefinition } from "../../service/src/bots/load";
import { DigitalMetrics } from "../../service/src/digital/metrics";
import { codeBlocks, headingAnchors, read, ROOT } from "./markdown";

const DOC = "docs/digital-bot-connector.md";
const doc = read(DOC);

test("the example bot loads as it is, and is the fixture the v2 tests play", () => {
  const bots = codeBlocks(doc, "yaml").filter((block) => /^id: /m.test(block));
  expect(bots).toHaveLength(1);
  const bot = parseBotDefinition(bots[0] as string, DOC);
  expect(bot.replyLater).toBeDefined();
  const fixture = readFileSync(path.join(ROOT, "test", "fixtures", "digital-bots", "acme-assistant.yaml"), "utf8");
  expect(parseYaml(bots[0] as string)).toEqual(parseYaml(fixture));
});

test("documents every DBC_ variable the service reads", () => {
  const config = read("service/src/config.ts");
  const read_ = [...new Set([...config.matchAll(/"(DBC_[A-Z_]+)"|env\.(DBC_[A-Z_]+)/g)].map((m) => m[1] ?? m[2]))];
  expect(read_.length).toBeGreaterThanOrEqual(6);
  for (const name of read_) expect(doc).toContain(`\`${name}\``);
  expect(doc).toContain("`GENESYS_PROTOCOL`");
});

test("documents every metric of the Digital Bot Connector", async () => {
  const registry = new Registry();
  new DigitalMetrics(registry);
  const names = (await registry.getMetricsAsJSON()).map((m) => m.name);
  expect(names.length).toBeGreaterThan(0);
  for (const name of names) expect(doc).toContain(`\`${name}`);
});

test("every section the emulator's rules cite is a heading of the page", () => {
  const anchors = headingAnchors(doc);
  const cited = Object.values(DIGITAL_RULES).flatMap((rule) => [...rule.source.matchAll(/§([^,:(]+)/g)].map((m) => (m[1] as string).trim()));
  expect(cited.length).toBeGreaterThan(0);
  for (const section of cited) expect(anchors).toContain(section.toLowerCase().replace(/ /g, "-"));
});
