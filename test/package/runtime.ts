/**
 * The ComponentProvider Pulumi's plugin runner builds for a component package, built the same way in-process
 * (so the Pulumi mocks see what it registers). The steps follow @pulumi/pulumi's `cmd/run-plugin/run.ts` and
 * `componentProviderHost`: load the package's entry, collect the ComponentResource classes it exports, name the
 * provider from package.json (`@scope/name` → namespace `scope`, name `name`, other characters as `-`), keep only
 * real components, and hand them to ComponentProvider with the package directory.
 *
 * The entry is loaded as index.ts rather than through index.js: index.js loads the same module with tsx, which
 * would give it an @pulumi/pulumi of its own, outside jest's module registry and so outside the mocks.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";

export function pluginComponentProvider(programDir: string): ComponentProvider {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the runner `require`s the package entry too
  const exports = require(path.join(programDir, "index.ts")) as Record<string, unknown>;
  const components = getPulumiComponents(exports);
  const packageJSON = JSON.parse(readFileSync(path.join(programDir, "package.json"), "utf8")) as { name: string };
  const matches = /(@.*?\/)?(.+)/.exec(packageJSON.name)!;
  const name = matches[2]!.replace(/[^-a-zA-Z0-9_]/g, "-");
  const namespace = matches[1] ? matches[1].slice(1, -1) : undefined;
  return new ComponentProvider({ name, ...(namespace ? { namespace } : {}), dirname: programDir, components });
}
