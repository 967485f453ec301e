import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { PROCESS_START_MS } from "../support/time";

export const ROOT = path.join(__dirname, "..", "..");
export const PROCESS_TOKEN = "process-verify-token-0123456789";

export interface ServiceProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote so far. */
  output(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<{ code: number | null }>;
}

/**
 * The service as its own process (`node --import tsx service/src/main.ts`), configured only by
 * environment. It must log at info or below: the "listening" line says where it listens.
 */
export async function startServiceProcess(env: Record<string, string>): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "service", "src", "main.ts")], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      VERIFY_TOKEN: PROCESS_TOKEN,
      PORT: "0",
      HOST: "127.0.0.1",
      BOTS_DIR: path.join(ROOT, "service", "bots"),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  // Keep only the tail: a process under load logs a line per turn.
  child.stdout?.on("data", (d: Buffer) => (out = (out + d.toString()).slice(-200_000)));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`service did not start:\n${out}`));
    }, PROCESS_START_MS);
    const check = () => {
      const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on("data", check);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`service exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode !== null) return { code: child.exitCode };
      const exited = once(child, "exit") as Promise<[number | null]>;
      child.kill("SIGTERM");
      const [code] = await exited;
      return { code };
    },
  };
}

export async function postTurn(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url + "/botconnector/messages", {
    method: "POST",
    headers: { "content-type": "application/json", "verify-token": PROCESS_TOKEN, ...headers },
    body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
