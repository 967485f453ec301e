/**
 * `npm start` (scripts/start-local.ts) as a test runs it: in its own process group, so that a test can stop it and
 * everything it started at once.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { PROCESS_START_MS } from "../support/time";

const root = path.join(__dirname, "..", "..");

export interface Started {
  child: ChildProcess;
  chat: string;
  /** The Bot Connector endpoint (v1), or the Digital Bot Connector URI (v2). */
  endpoint: string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs `npm start` (or the script itself with `direct`) in its own process group and resolves once it printed
 * its URLs; rejects with its output when it exits first.
 */
export function startLocal(env: Record<string, string>, options: { direct?: boolean } = {}): Promise<Started> {
  const command = options.direct ? [process.execPath, ["--import", "tsx", "scripts/start-local.ts"]] : ["npm", ["start"]];
  const child = spawn(command[0] as string, command[1] as string[], {
    cwd: root,
    env: { ...process.env, PORT: "0", EMULATOR_PORT: "0", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "ignore", "pipe"],
    detached: true,
  });
  let stderr = "";
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    // A start that never finishes is killed and reported before jest's own timeout, never left behind.
    const timer = setTimeout(() => {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
      reject(new Error(`no URLs within ${PROCESS_START_MS} ms:\n${stderr}`));
    }, PROCESS_START_MS);
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
      const chat = /Chat with the bots?:\s+(\S+)/.exec(stderr)?.[1];
      const endpoint = /(?:Bot Connector endpoint|Digital Bot Connector URI):\s+(\S+)/.exec(stderr)?.[1];
      if (chat && endpoint && /Ctrl-C stops both/.test(stderr)) {
        clearTimeout(timer);
        resolve({ child, chat, endpoint, stderr: () => stderr, exited });
      }
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}:\n${stderr}`));
    });
  });
}
