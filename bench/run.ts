/**
 * `npm run bench`: the endpoint service under load, against a bare node:http baseline measured in the
 * same run on the same machine. Prints throughput and latency for both and their ratio, latency at a
 * fixed offered rate, the time from process start to /readyz, and (when dynalite is available) the same
 * load with the DynamoDB session store, reported on its own.
 *
 * Options (environment): BENCH_DURATION (seconds per run, default 10), BENCH_CONNECTIONS (256),
 * BENCH_RATE (offered turns/s for the fixed-rate run, 2000), BENCH_SKIP_DYNAMODB=1.
 */
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import path from "node:path";
import autocannon from "autocannon";
import { turnRequestBody, TurnStream } from "./conversations";
import { openLoop, type OpenLoopResult } from "./openLoop";
import { BARE_SERVER, buildBundle, ROOT, SERVICE_MAIN, serviceEnv, startProcess, TOKEN } from "./serviceProcess";

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 256);
const RATE = Number(process.env.BENCH_RATE ?? 2000);

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as { port: number }).port;
  server.close();
  return port;
}

/** Milliseconds from spawning the process until /readyz first answers 200 (median of runs). */
async function timeToReady(runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const port = await freePort();
    const started = performance.now();
    const child = spawn(process.execPath, [SERVICE_MAIN], { cwd: ROOT, env: { PATH: process.env.PATH, ...serviceEnv({ PORT: String(port) }) }, stdio: "ignore" });
    for (;;) {
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
  return times.sort((a, b) => a - b);
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

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

function row(name: string, r: LoadResult): string {
  return `| ${name} | ${fmt(r.rps)} | ${fmt(r.p50, 1)} | ${fmt(r.p90, 1)} | ${fmt(r.p99, 1)} | ${fmt(r.requests)} | ${r.errors + r.non2xx + r.mismatches} |`;
}

function rateRow(name: string, r: OpenLoopResult): string {
  return `| ${name} | ${fmt(r.rps)} | ${fmt(r.p50, 1)} | ${fmt(r.p90, 1)} | ${fmt(r.p99, 1)} | ${fmt(r.max, 1)} | ${fmt(r.completed)} | ${r.errors} |`;
}

const fixedRate = (url: string, label: string, rate = RATE, seconds = DURATION) =>
  openLoop({ url, token: TOKEN, connections: CONNECTIONS, rate, durationMs: seconds * 1000, label });

async function main(): Promise<void> {
  console.log(`# Benchmark — ${new Date().toISOString()}`);
  console.log(`Node ${process.version}, ${(await import("node:os")).cpus().length} cores, ${CONNECTIONS} connections, ${DURATION} s per run\n`);
  // The same bundle the image runs (service/build/bundle.cjs → service/dist/main.js).
  buildBundle();

  const ready = await timeToReady(7);
  console.log(`Process start → /readyz 200: median ${fmt(ready[3] as number, 0)} ms (min ${fmt(ready[0] as number)}, max ${fmt(ready[6] as number)}; 7 starts)\n`);

  // Per server: warm up at the offered rate, measure latency at that rate, then push to saturation
  // (saturation leaves many sessions behind, so it comes last).
  const service = await startProcess(process.execPath, [SERVICE_MAIN], serviceEnv());
  const bytes = await averageAnswerBytes(service.url);
  await fixedRate(service.url, "svc-warm", RATE, 3);
  const svcRate = await fixedRate(service.url, "svc-rate");
  const svc = await load(service.url, "svc");
  await service.stop();

  const bare = await startProcess(process.execPath, [BARE_SERVER], { BODY_BYTES: String(bytes) });
  await fixedRate(bare.url, "bare-warm", RATE, 3);
  const baseRate = await fixedRate(bare.url, "bare-rate");
  const base = await load(bare.url, "bare");
  await bare.stop();

  console.log(`Saturation (as fast as ${CONNECTIONS} connections go; answers average ${bytes} bytes):\n`);
  console.log("| server | turns/s | p50 ms | p90 ms | p99 ms | requests | errors |");
  console.log("|---|---:|---:|---:|---:|---:|---:|");
  console.log(row("service (memory store)", svc));
  console.log(row("bare node:http", base));
  console.log(`\nRatio service / bare: throughput ${(svc.rps / base.rps).toFixed(2)}, p99 latency ${(svc.p99 / Math.max(base.p99, 0.001)).toFixed(2)}\n`);
  console.log(`Fixed offered rate (${RATE} turns/s over ${CONNECTIONS} keep-alive connections, latency from when each turn was due):\n`);
  console.log("| server | turns/s | p50 ms | p90 ms | p99 ms | max ms | requests | errors |");
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
  console.log(rateRow("service (memory store)", svcRate));
  console.log(rateRow("bare node:http", baseRate));

  if (process.env.BENCH_SKIP_DYNAMODB !== "1") {
    await withDynalite(async (endpoint) => {
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
      await fixedRate(dynamo.url, "ddb-warm", Math.min(RATE, 100), 3);
      const ddbRate = await fixedRate(dynamo.url, "ddb-rate", Math.min(RATE, 100));
      const ddb = await load(dynamo.url, "ddb");
      await dynamo.stop();
      console.log(`\nDynamoDB session store against dynalite on the same machine (a third process on 2 cores; dynalite is far slower than DynamoDB):\n`);
      console.log("| server | turns/s | p50 ms | p90 ms | p99 ms | requests | errors |");
      console.log("|---|---:|---:|---:|---:|---:|---:|");
      console.log(row("service (DynamoDB store), saturation", ddb));
      console.log(`\nAt ${Math.min(RATE, 100)} turns/s offered:\n`);
      console.log("| server | turns/s | p50 ms | p90 ms | p99 ms | max ms | requests | errors |");
      console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
      console.log(rateRow("service (DynamoDB store)", ddbRate));
    });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
