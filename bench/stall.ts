/**
 * `npm run bench:stall`: does one kind of message stall everyone? Two measurements for docs/robustness.md
 * (measured, not asserted: the tests count work instead):
 *
 * 1. the service as its own process gets ten maximum-length messages at once (32,000 characters of each hostile
 *    shape: the kind that made the old normaliser backtrack) with a /healthz probe; how long the probe and the
 *    turns took and how the turns were answered;
 * 2. one turn's CPU time (process.cpuUsage) with the longest message of each shape, through the service in this
 *    process (app.inject), the session at the menu: what bounds the synchronous slice of one turn, the budget's
 *    tolerance.
 *
 * Options (environment): STALL_PARALLEL (10), STALL_BUDGET_MS (TURN_BUDGET_MS of the service, 5000).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import { createService } from "../service/src/app";
import { loadConfig } from "../service/src/config";

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

/** The longest message of each shape the body limit (64 KiB) lets through, for the per-turn CPU figure. */
const LONGEST: Record<string, string> = {
  "a, 31,998 dots, b": "a" + ".".repeat(31_998) + "b",
  "a, 31,998 pluses, b": "a" + "+".repeat(31_998) + "b",
  "x@y. ×8,000": "x@y.".repeat(8000),
  "U+FDFA ×20,000 (decomposes into 18)": "\ufdfa".repeat(20_000),
  '"1 000 " ×5,333': "1 000 ".repeat(5333),
};

async function cpuPerTurn(): Promise<void> {
  const config = loadConfig({ VERIFY_TOKEN: TOKEN, BOTS_DIR: path.join(ROOT, "service", "bots"), TURN_BUDGET_MS: String(BUDGET_MS) });
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  const service = createService(config, { logger: pino({ level: "info" }, discard) });
  await service.app.ready();
  const post = (payload: string) =>
    service.app.inject({ method: "POST", url: "/botconnector/messages", headers: { "content-type": "application/json", "verify-token": TOKEN }, payload });
  console.log(`\n| message | CPU ms, median of 12 | slowest |`);
  console.log(`|---|---:|---:|`);
  for (const [name, text] of Object.entries(LONGEST)) {
    const times: number[] = [];
    for (let i = 0; i < 12; i++) {
      const id = `cpu-${process.pid}-${name.replace(/\W/g, "")}-${i}`;
      await post(body(id, ""));
      const before = process.cpuUsage();
      const res = await post(body(id, text));
      const used = process.cpuUsage(before);
      if (res.statusCode !== 200) throw new Error(res.body);
      times.push((used.user + used.system) / 1000);
    }
    times.sort((a, b) => a - b);
    console.log(`| ${name} | ${(times[6] as number).toFixed(1)} | ${(times[11] as number).toFixed(1)} |`);
  }
  await service.close();
}

async function main(): Promise<void> {
  await stall();
  await cpuPerTurn();
}

async function stall(): Promise<void> {
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
