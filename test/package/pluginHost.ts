/**
 * Runs the component package the way Pulumi's nodejs language host runs a source-based plugin (its `RunPlugin`):
 * `node <@pulumi/pulumi/cmd/run-plugin as resolved from the plugin folder> <plugin folder>` in the consuming
 * program's working directory, with `PULUMI_NODEJS_TYPESCRIPT=true`. The plugin prints the port of its provider
 * gRPC server; `getSchema` then asks it for the package schema over gRPC, as `pulumi package add` does. Only the
 * engine is missing, which GetSchema does not need.
 */
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import type * as GrpcJs from "@grpc/grpc-js";
import { GetSchemaRequest, type GetSchemaResponse } from "@pulumi/pulumi/proto/provider_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";

/** The gRPC library the SDK's generated stubs use (the SDK's own dependency, resolved from it). */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- resolved from the SDK's directory on purpose
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [path.dirname(require.resolve("@pulumi/pulumi/package.json"))] })) as typeof GrpcJs;

export interface RunningPlugin {
  port: number;
  /** What the plugin wrote to stderr so far. */
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts the plugin; resolves with its port, rejects with its stderr when it exits first. */
export function startPlugin(pluginDir: string, programDir: string): Promise<RunningPlugin> {
  // The language host's locateModule: `require.resolve` of the runner from the plugin's directory.
  const runPlugin = require.resolve("@pulumi/pulumi/cmd/run-plugin", { paths: [pluginDir] });
  const child: ChildProcess = spawn(process.execPath, [runPlugin, pluginDir], {
    cwd: programDir,
    env: { ...process.env, PULUMI_NODEJS_TYPESCRIPT: "true" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  return new Promise((resolve, reject) => {
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      const line = /^(\d+)\s*$/m.exec(stdout);
      if (line) resolve({ port: Number(line[1]), stderr: () => stderr, stop });
    });
    child.once("exit", (code, signal) => reject(new Error(`the plugin exited (${code ?? signal}) before printing its port:\n${stderr}${stdout}`)));
    child.once("error", reject);
  });
}

/** The package schema, from the plugin's GetSchema. */
export function getSchema(port: number): Promise<Record<string, unknown>> {
  const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return new Promise((resolve, reject) => {
    client.getSchema(new GetSchemaRequest(), (err: Error | null, response: GetSchemaResponse | undefined) => {
      client.close();
      if (err || !response) reject(err ?? new Error("no response"));
      else resolve(JSON.parse(response.getSchema()) as Record<string, unknown>);
    });
  });
}
