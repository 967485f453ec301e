/**
 * `npm run bench`: the endpoint service under load, against a bare node:http baseline measured in the same run on
 * the same machine, BENCH_RUNS times. Each run measures the time from process start to /readyz, latency at a fixed
 * offered rate and throughput and latency at saturation for both servers, and (when dynalite is available) the same
 * with the DynamoDB session store, reported on its own. Prints the machine first, each run's tables as it ends, then
 * every figure as min / median / max over the runs, ratios taken within each run, each aim marked met or not met.
 *
 * `npm run bench -- --write-docs` also writes that last part into docs/performance.md (BENCH_DOCS_FILE), between
 * its figures markers; nothing else in the file changes.
 *
 * Options (environment): BENCH_RUNS (3), BENCH_DURATION (seconds per load, default 10), BENCH_CONNECTIONS (256),
 * BENCH_RATE (offered turns/s for the fixed-rate load, 2000), BENCH_READY_STARTS (starts per run, 7),
 * BENCH_SKIP_DYNAMODB=1, BENCH_DOCS_FILE (where --write-docs writes, docs/performance.md).
 */
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { turnRequestBody, TurnStream } from "./conversations";
import { openLoop, type OpenLoopResult } from "./openLoop";
import { type BenchSettings, benchCommand, describeMachine, fmt, type Machine, renderFigures, replaceFigures, type RunFigures, stats, summarize } from "./report";
import { BARE_SERVER, buildBundle, ROOT, SERVICE_MAIN, serviceEnv, startProcess, TOKEN } from "./serviceProcess";

/** A mistake in how the benchmark was called: reported in one line, without a stack trace. */
class UsageError extends Error {}

const badSettings: string[] = [];
/** A positive whole-number setting from the environment; main() stops before measuring if one is bad. */
function setting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (Number.isInteger(value) && value >= 1) return value;
  badSettings.push(`${name} must be a whole number, at least 1 (default ${fallback}), not "${raw}"`);
  return fallback;
}

const DURATION = setting("BENCH_DURATION", 10);
const CONNECTIONS = setting("BENCH_CONNECTIONS", 256);
const RATE = setting("BENCH_RATE", 2000);
const RUNS = setting("BENCH_RUNS", 3);
const READY_STARTS = setting("BENCH_READY_STARTS", 7);
const SKIP_DYNAMODB = process.env.BENCH_SKIP_DYNAMODB === "1";
/** dynalite answers in milliseconds, not microseconds: its fixed rate is kept low. */
const DYNAMO_RATE = Math.min(RATE, 100);
const DOCS_FILE = path.resolve(process.env.BENCH_DOCS_FILE ?? path.join(ROOT, "docs", "performance.md"));

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as { port: number }).port;
  server.close();
  return port;
}

/** Milliseconds from spawning the process until /readyz first answers 200, one figure per start. */
async function timeToReady(runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const port = await freePort();
    const started = performance.now();
    const child = spawn(process.execPath, [SERVICE_MAIN], { cwd: ROOT, env: { PATH: process.env.PATH, ...serviceEnv({ PORT: String(port) }) }, stdio: "ignore" });
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the service exited (${child.exitCode ?? child.signalCode}) before /readyz answered 200`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/readyz`);
        if (res.status === 200) break;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    times.push(performance.now() - started);
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    await exited;
  }
  return times;
}

interface LoadResult {
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  requests: number;
  errors: number;
  non2xx: number;
  mismatches: number;
}

/** Saturation load with scripted multi-turn sessions, each connection walking its own stream of sessions. */
async function load(url: string, label: string, options: { duration?: number } = {}): Promise<LoadResult> {
  let connection = 0;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: options.duration ?? DURATION,
    headers: { "content-type": "application/json", "verify-token": TOKEN },
    requests: [
      {
        method: "POST",
        path: "/botconnector/messages",
        setupRequest: (request, context: { stream?: TurnStream }) => {
          context.stream ??= new TurnStream(`${label}-${process.pid}-${connection++}`);
          const turn = context.stream.next();
          return { ...request, body: turnRequestBody(turn.sessionId, turn.text) };
        },
      },
    ],
    verifyBody: (body: string) => body.startsWith('{"botState":"MoreData"') || body.startsWith('{"botState":"Complete"'),
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors,
    non2xx: result.non2xx,
    mismatches: result.mismatches,
  };
}

/** Average answer size of the scripted sessions, so the baseline sends as many bytes. */
async function averageAnswerBytes(url: string): Promise<number> {
  const stream = new TurnStream(`size-${process.pid}`);
  let bytes = 0;
  const n = 60;
  for (let i = 0; i < n; i++) {
    const turn = stream.next();
    const res = await fetch(url + "/botconnector/messages", {
      method: "POST",
      headers: { "content-type": "application/json", "verify-token": TOKEN },
      body: turnRequestBody(turn.sessionId, turn.text),
    });
    bytes += Buffer.byteLength(await res.text());
  }
  return Math.round(bytes / n);
}

async function withDynalite<T>(fn: (endpoint: string) => Promise<T>): Promise<T> {
  const port = await freePort();
  const db = spawn(process.execPath, ["-e", `require("dynalite")({ createTableMs: 0, updateTableMs: 0, deleteTableMs: 0 }).listen(${port}, "127.0.0.1")`], {
    cwd: ROOT,
    stdio: "ignore",
  });
  const endpoint = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      await fetch(endpoint);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  try {
    return await fn(endpoint);
  } finally {
    db.kill("SIGTERM");
  }
}

function row(name: string, r: LoadResult): string {
  return `| ${name} | ${fmt(r.rps)} | ${fmt(r.p50, 1)} | ${fmt(r.p90, 1)} | ${fmt(r.p99, 1)} | ${fmt(r.requests)} | ${r.errors + r.non2xx + r.mismatches} |`;
}

function rateRow(name: string, r: OpenLoopResult): string {
  return `| ${name} | ${fmt(r.rps)} | ${fmt(r.p50, 1)} | ${fmt(r.p90, 1)} | ${fmt(r.p99, 1)} | ${fmt(r.max, 1)} | ${fmt(r.completed)} | ${r.errors} |`;
}

const SATURATION_HEADER = "| server | turns/s | p50 ms | p90 ms | p99 ms | requests | errors |\n|---|---:|---:|---:|---:|---:|---:|";
const RATE_HEADER = "| server | turns/s | p50 ms | p90 ms | p99 ms | max ms | requests | errors |\n|---|---:|---:|---:|---:|---:|---:|---:|";

const fixedRate = (url: string, label: string, rate = RATE, seconds = DURATION) =>
  openLoop({ url, token: TOKEN, connections: CONNECTIONS, rate, durationMs: seconds * 1000, label });

const figures = (saturation: LoadResult, rate: OpenLoopResult) => ({
  saturation: { rps: saturation.rps, p99: saturation.p99, errors: saturation.errors + saturation.non2xx + saturation.mismatches },
  fixedRate: { rps: rate.rps, p99: rate.p99, errors: rate.errors },
});

/** A server's loads: warm up at the offered rate, measure at that rate, then saturate (which leaves many sessions behind, so it comes last). */
async function measure(url: string, label: string, rate: number): Promise<{ rate: OpenLoopResult; saturation: LoadResult }> {
  await fixedRate(url, `${label}-warm`, rate, 3);
  const atRate = await fixedRate(url, `${label}-rate`, rate);
  const saturation = await load(url, label);
  return { rate: atRate, saturation };
}

async function dynamoRun(run: number): Promise<RunFigures["dynamodb"]> {
  return withDynalite(async (endpoint) => {
    const env = serviceEnv({
      SESSION_STORE: "dynamodb",
      SESSION_TABLE: "bench-sessions",
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL_DYNAMODB: endpoint,
      AWS_ACCESS_KEY_ID: "bench",
      AWS_SECRET_ACCESS_KEY: "bench",
    });
    execFileSync(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts", "session-table-create.ts")], { cwd: ROOT, env: { ...process.env, ...env }, stdio: "ignore" });
    const dynamo = await startProcess(process.execPath, [SERVICE_MAIN], env);
    const ddb = await measure(dynamo.url, `ddb${run}`, DYNAMO_RATE);
    await dynamo.stop();
    console.log(`\nDynamoDB session store against dynalite, saturation, then ${DYNAMO_RATE} turns/s offered:\n`);
    console.log(SATURATION_HEADER);
    console.log(row("service (DynamoDB store)", ddb.saturation));
    console.log("");
    console.log(RATE_HEADER);
    console.log(rateRow("service (DynamoDB store)", ddb.rate));
    return figures(ddb.saturation, ddb.rate);
  });
}

/** One run: every figure once, its tables printed as it ends. */
async function benchRun(run: number, answerBytes: number): Promise<RunFigures> {
  console.log(`## Run ${run} of ${RUNS}\n`);
  const ready = stats(await timeToReady(READY_STARTS));
  console.log(`Process start → /readyz 200: median ${fmt(ready.median)} ms (min ${fmt(ready.min)}, max ${fmt(ready.max)}; ${READY_STARTS} starts)\n`);

  const service = await startProcess(process.execPath, [SERVICE_MAIN], serviceEnv());
  const svc = await measure(service.url, `svc${run}`, RATE);
  await service.stop();
  const bare = await startProcess(process.execPath, [BARE_SERVER], { BODY_BYTES: String(answerBytes) });
  const base = await measure(bare.url, `bare${run}`, RATE);
  await bare.stop();

  console.log(`Saturation (as fast as ${CONNECTIONS} connections go):\n`);
  console.log(SATURATION_HEADER);
  console.log(row("service (memory store)", svc.saturation));
  console.log(row("bare node:http", base.saturation));
  console.log(`\nFixed offered rate (${fmt(RATE)} turns/s over ${CONNECTIONS} keep-alive connections, latency from when each turn was due):\n`);
  console.log(RATE_HEADER);
  console.log(rateRow("service (memory store)", svc.rate));
  console.log(rateRow("bare node:http", base.rate));

  const dynamodb = SKIP_DYNAMODB ? undefined : await dynamoRun(run);
  console.log("");
  return { readyMs: ready.median, service: figures(svc.saturation, svc.rate), bare: figures(base.saturation, base.rate), ...(dynamodb ? { dynamodb } : {}) };
}

function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() || "unknown CPU",
    cores: cpus.length,
    memoryBytes: os.totalmem(),
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    node: process.version,
    loadAverage: os.loadavg()[0] ?? 0,
  };
}

/** The command-line arguments: `--write-docs` or nothing, so a mistyped flag is not silently a run that writes nothing. */
function parseArgs(args: string[]): { writeDocs: boolean } {
  const unknown = args.filter((a) => a !== "--write-docs");
  if (unknown.length) throw new UsageError(`unknown argument ${unknown.join(" ")}: npm run bench takes only --write-docs (settings go in the environment, see bench/run.ts)`);
  return { writeDocs: args.includes("--write-docs") };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const { writeDocs } = parseArgs(args);
  if (badSettings.length) throw new UsageError(badSettings.join("\n"));
  // Check the markers before minutes of measuring, not after.
  if (writeDocs) {
    try {
      replaceFigures(readFileSync(DOCS_FILE, "utf8"), "", DOCS_FILE);
    } catch (err) {
      throw new UsageError(`--write-docs: ${(err as Error).message}`);
    }
  }

  const started = new Date();
  const host = machine();
  console.log(`# Benchmark — ${started.toISOString()}\n`);
  console.log(`${describeMachine(host)}`);
  console.log(`${RUNS} runs; ${CONNECTIONS} connections, ${DURATION} s per load\n`);
  // The same bundle the image runs (service/build/bundle.cjs → service/dist/main.js).
  buildBundle();

  // The bare server answers as many bytes as the service's average answer.
  const sizing = await startProcess(process.execPath, [SERVICE_MAIN], serviceEnv());
  const answerBytes = await averageAnswerBytes(sizing.url);
  await sizing.stop();

  const runs: RunFigures[] = [];
  for (let run = 1; run <= RUNS; run++) runs.push(await benchRun(run, answerBytes));

  const settings: BenchSettings = {
    command: benchCommand(process.env, args),
    runs: RUNS,
    durationSeconds: DURATION,
    connections: CONNECTIONS,
    rate: RATE,
    dynamoRate: DYNAMO_RATE,
    readyStarts: READY_STARTS,
    answerBytes,
  };
  const section = renderFigures(summarize(runs), settings, host, started);
  console.log(`## Over ${RUNS} runs\n\n${section}`);
  if (writeDocs) {
    writeFileSync(DOCS_FILE, replaceFigures(readFileSync(DOCS_FILE, "utf8"), section, DOCS_FILE));
    console.log(`\nWrote the figures section of ${DOCS_FILE}.`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof UsageError ? err.message : err);
  process.exit(1);
});
