/**
 * The Genesys bot list is a Node.js dynamic resource. When the component package runs as a plugin, its
 * provider is serialized from the sources as the plugin loads them (through tsx, not ts-node), and the engine's
 * dynamic-provider host evaluates that text in the consuming program's directory. Both steps run here as
 * separate Node processes, the second in a directory with no node_modules: the serialized provider must carry
 * everything it needs.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { builtinModules } from "node:module";
import os from "node:os";
import path from "node:path";

const FIXTURES = path.join(__dirname, "fixtures");

let programDir: string;
beforeAll(() => {
  programDir = mkdtempSync(path.join(os.tmpdir(), "va-yaml-program-"));
});
afterAll(() => rmSync(programDir, { recursive: true, force: true }));

it("the bot list's provider, serialized by the plugin, runs in the dynamic-provider host without the package's modules", () => {
  const text = execFileSync(process.execPath, [path.join(FIXTURES, "serializeBotListProvider.cjs")], { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
  // Only Node's own modules: the program's directory has no node_modules to resolve anything else from.
  const required = [...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!);
  expect(required.filter((r) => !r.startsWith("node:") && !builtinModules.includes(r))).toEqual([]);
  const result = JSON.parse(
    execFileSync(process.execPath, [path.join(FIXTURES, "dynamicProviderHost.cjs")], { cwd: programDir, input: text, encoding: "utf8", env: { PATH: process.env.PATH ?? "" } }),
  ) as { check: { failures: unknown[] }; diff: { changes: boolean; replaces: string[] } };
  expect(result.check.failures).toEqual([]);
  expect(result.diff).toEqual({ changes: true, replaces: ["integrationId"], deleteBeforeReplace: false });
}, 120_000);
