/**
 * The benchmark's processes: the service bundle (what the image runs) or another server started as a child,
 * found by the URL it prints, and a closed-loop driver sending the scripted sessions to it.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import http from "node:http";
import path from "node:path";
import { turnRequestBody, TurnStream } from "./conversations";

export const ROOT = path.join(__dirname, "..");
export const TOKEN = "bench-verify-token-0123456789abcdef";
export const SERVICE_MAIN = path.join(ROOT, "service", "dist", "main.js");
/** The baseline: a bare node:http server that parses the body and answers a fixed JSON body (BODY_BYTES long). */
export const BARE_SERVER = path.join(ROOT, "bench", "bare-server.js");

export interface Running {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Builds the service exactly as the image does (service/build/bundle.cjs → service/dist/main.js). */
export function buildBundle(): void {
  execFileSync(process.execPath, [path.join(ROOT, "service", "build", "bundle.cjs")], { stdio: "inherit" });
}

/** The service's environment in the benchmark: production mode, the sample bots, any free port. */
export function serviceEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { VERIFY_TOKEN: TOKEN, HOST: "127.0.0.1", PORT: "0", BOTS_DIR: path.join(ROOT, "service", "bots"), NODE_ENV: "production", ...extra };
}

/** Starts `command args` and resolves once it printed the URL it listens on; its output is drained from then on. */
export async function startProcess(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Running> {
  const child = spawn(command, args, { cwd: ROOT, env: { PATH: process.env.PATH, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stderr?.on("data", (d: Buffer) => {
    err = (err + d.toString()).slice(-10_000);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(" ")} did not start:\n${err}`)), 120_000);
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        out = "";
        resolve(m[1]);
      } else if (out.length > 100_000) {
        out = out.slice(-10_000);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(" ")} exited with ${code}:\n${err}`));
    });
  });
  // Keep draining its logs so the pipe never blocks it.
  child.stdout?.resume();
  return {
    url,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/**
 * Sends `turns` turns of the scripted sessions over `connections` keep-alive connections, each connection walking
 * its own sessions and sending its next turn when the last was answered; rejects on any answer but 200.
 */
export async function drive(url: string, label: string, turns: number, connections: number): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL(url + "/botconnector/messages");
  let sent = 0;
  const worker = async (i: number) => {
    const stream = new TurnStream(`${label}-${process.pid}-${i}`);
    while (sent < turns) {
      sent++;
      const turn = stream.next();
      const body = turnRequestBody(turn.sessionId, turn.text);
      await new Promise<void>((resolve, reject) => {
        const req = http.request(target, {
          method: "POST",
          agent,
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), "verify-token": TOKEN },
        });
        req.on("response", (res) => {
          res.resume();
          res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`turn answered ${res.statusCode}`))));
        });
        req.on("error", reject);
        req.end(body);
      });
    }
  };
  try {
    await Promise.all(Array.from({ length: connections }, (_, i) => worker(i)));
  } finally {
    agent.destroy();
  }
}
