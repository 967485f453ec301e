/**
 * `npm run bench:stall`: does one kind of message stall everyone? Starts the service as its own process, sends
 * ten maximum-length messages at once (32,000 characters of each hostile shape: the kind that made the old
 * normaliser backtrack) together with a /healthz probe, and prints how long the probe and the turns took and how
 * the turns were answered. A figure for docs/robustness.md, measured, not asserted (tests count work instead).
 *
 * Options (environment): STALL_PARALLEL (10), STALL_BUDGET_MS (TURN_BUDGET_MS of the service, 5000).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";

const ROOT = path.join(__dirname, "..");
const TOKEN = "stall-verify-token-0123456789abcdef";
const PARALLEL = Number(process.env.STALL_PARALLEL ?? 10);
const BUDGET_MS = Number(process.env.STALL_BUDGET_MS ?? 5000);
/** 32,000 characters each: a run of a character the old normaliser's trimming pattern retried from every position. */
const SHAPES: Record<string, string> = {
  "a, 31,998 dots, b": "a" + ".".repeat(31_998) + "b",
  "a, 31,998 pluses, b": "a" + "+".repeat(31_998) + "b",
  "a, 31,998 dashes, b": "a" + "-".repeat(31_998) + "b",
  "31,999 dots, b": ".".repeat(31_999) + "b",
  "32,000 dots": ".".repeat(32_000),
};

async function start(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "service", "src", "main.ts")], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, VERIFY_TOKEN: TOKEN, PORT: "0", HOST: "127.0.0.1", TURN_BUDGET_MS: String(BUDGET_MS), LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`service exited with ${code}`)));
  });
  child.stdout?.resume();
  return { url, child };
}

function body(sessionId: string, text: string): string {
  return JSON.stringify({
    botId: "Acme Support",
    botVersion: "1.0",
    botSessionId: sessionId,
    genesysConversationId: `conv-${sessionId}`,
    languageCode: "en-us",
    chatBot: { id: "acme-support" },
    inputMessage: { type: "Text", text },
  });
}

async function post(url: string, payload: string): Promise<{ ms: number; state: string }> {
  const started = performance.now();
  const res = await fetch(`${url}/botconnector/messages`, { method: "POST", headers: { "content-type": "application/json", "verify-token": TOKEN }, body: payload });
  const answer = (await res.json()) as { botState?: string; errorInfo?: { errorCode: string } };
  return { ms: performance.now() - started, state: answer.errorInfo ? `${answer.botState} ${answer.errorInfo.errorCode}` : String(answer.botState) };
}

async function main(): Promise<void> {
  const { url, child } = await start();
  try {
    console.log(`| shape | /healthz ms | turns: slowest ms | turns answered |`);
    console.log(`|---|---:|---:|---|`);
    for (const [name, text] of Object.entries(SHAPES)) {
      // Each session first reaches the menu, so the long message is an answer to a question.
      const ids = Array.from({ length: PARALLEL }, (_, i) => `stall-${process.pid}-${name.replace(/\W/g, "")}-${i}`);
      await Promise.all(ids.map((id) => post(url, body(id, ""))));
      const turns = Promise.all(ids.map((id) => post(url, body(id, text))));
      const probeStarted = performance.now();
      const probe = fetch(`${url}/healthz`).then(() => performance.now() - probeStarted);
      const [answers, healthMs] = await Promise.all([turns, probe]);
      const states = [...new Set(answers.map((a) => a.state))].join(", ");
      console.log(`| ${name} | ${healthMs.toFixed(0)} | ${Math.max(...answers.map((a) => a.ms)).toFixed(0)} | ${states} |`);
    }
  } finally {
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    await exited;
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
