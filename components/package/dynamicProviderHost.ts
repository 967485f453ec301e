/**
 * The Genesys bot list is a Node.js dynamic resource (components/genesys/botList): no Genesys provider manages a
 * Bot Connector integration's bot list. The engine runs dynamic resources in its `pulumi-nodejs` provider, a
 * script that starts `node` on `@pulumi/pulumi/cmd/dynamic-provider` as resolved from the *program's* directory
 * (pulumi/pulumi#5455). A TypeScript program has it in its node_modules; a Python, Go, C# or YAML program using
 * this package has none, and `pulumi up` would fail deep in the engine with "Cannot find module". This check
 * runs before anything is created and says how to fix it instead.
 */
import { readFileSync } from "node:fs";

export const DYNAMIC_PROVIDER_MODULE = "@pulumi/pulumi/cmd/dynamic-provider";

/** How a module is resolved from a directory (`require.resolve` with `paths`; injectable for tests). */
export type Resolve = (request: string, fromDir: string) => string;

const nodeResolve: Resolve = (request, fromDir) => require.resolve(request, { paths: [fromDir] });

/** The SDK version this package runs with: the one to install next to the program. */
const SDK_VERSION = (JSON.parse(readFileSync(require.resolve("@pulumi/pulumi/package.json"), "utf8")) as { version: string }).version;

/** The problem, if the engine's Node.js dynamic-provider host cannot start from `programDir`. */
export function dynamicProviderHostProblem(programDir: string, resolve: Resolve = nodeResolve): string | undefined {
  try {
    resolve(DYNAMIC_PROVIDER_MODULE, programDir);
    return undefined;
  } catch {
    return (
      `the Genesys bot list is a Node.js dynamic resource, and Pulumi starts its host from the program's directory ` +
      `(${programDir}), where ${DYNAMIC_PROVIDER_MODULE} cannot be found (pulumi/pulumi#5455). Install the Node.js ` +
      `Pulumi SDK there once: npm install --save-exact @pulumi/pulumi@${SDK_VERSION}`
    );
  }
}
