/**
 * The package's runtime entry, components/index.js, loaded in a plain Node process as Pulumi's plugin runner
 * loads it: it exports exactly the three components, and although it loads the TypeScript sources through tsx,
 * their classes extend the ComponentResource of the one @pulumi/pulumi the runner uses to talk to the engine.
 */
import { execFileSync } from "node:child_process";
import path from "node:path";

it("exports the three components, built on the runner's own Pulumi SDK", () => {
  const seen = JSON.parse(execFileSync(process.execPath, [path.join(__dirname, "fixtures", "loadEntry.cjs")], { encoding: "utf8" })) as { components: string[]; sameSdk: boolean };
  expect(seen).toEqual({ components: ["GenesysVirtualAgent", "HostedService", "VirtualAgent"], sameSdk: true });
}, 120_000);
