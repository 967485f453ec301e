/**
 * `npm run bench:profile`: where a turn's CPU goes. Runs the service bundle (as the image does) under
 * `node --cpu-prof`, sends it the benchmark's scripted sessions over keep-alive connections, and prints, for the
 * measured window only (after a warm-up): the service process's CPU per turn (from /proc), and the sampled time per
 * turn of the functions that cost most, in themselves and with what they call.
 *
 * `PROFILE_STARTUP=1 npm run bench:profile`: the same for the process's start instead, from spawn until it listens
 * with its bots loaded (what `/readyz` waits for), in milliseconds.
 *
 * Options (environment): PROFILE_TURNS (measured turns, 30000), PROFILE_WARMUP (5000), PROFILE_CONNECTIONS (32),
 * PROFILE_TOP (rows per table, 30), PROFILE_KEEP=dir (keep the .cpuprofile there, for a flame graph in a browser's
 * devtools or speedscope), PROFILE_NO_BUILD=1 (use service/dist/main.js as it is).
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type ProfileSummary, summarizeProfile } from "./cpuprofile";
import { buildBundle, drive, SERVICE_MAIN, serviceEnv, startProcess } from "./serviceProcess";

const TURNS = Number(process.env.PROFILE_TURNS ?? 30_000);
const WARMUP = Number(process.env.PROFILE_WARMUP ?? 5_000);
const CONNECTIONS = Number(process.env.PROFILE_CONNECTIONS ?? 32);
const TOP = Number(process.env.PROFILE_TOP ?? 30);

/** User plus system CPU of a process so far, in microseconds (clock ticks of /proc/<pid>/stat). */
export function processCpuUs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the command name.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1_000_000) / 100;
}

/** Monotonic microseconds: the clock V8's profile timestamps use (CLOCK_MONOTONIC on Linux). */
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

/** The service bundle under the profiler (a sample every 100 µs), writing its profile into `dir` when it stops. */
const startProfiled = (dir: string) => startProcess(process.execPath, ["--cpu-prof", "--cpu-prof-interval", "100", "--cpu-prof-dir", dir, SERVICE_MAIN], serviceEnv());

/** The summary of the one profile the process wrote into `dir` (kept if asked for); `dir` is removed. */
function summaryIn(dir: string, keptAs: string, window?: { fromUs: number; toUs: number }): ProfileSummary {
  const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
  if (!file) throw new Error("the service wrote no .cpuprofile");
  if (process.env.PROFILE_KEEP) copyFileSync(path.join(dir, file), path.join(process.env.PROFILE_KEEP, `${keptAs}.cpuprofile`));
  const summary = summarizeProfile(path.join(dir, file), window);
  rmSync(dir, { recursive: true, force: true });
  return summary;
}

function printTables(summary: ProfileSummary, busy: number, unit: string, per: (us: number) => string): void {
  const table = (title: string, key: "selfUs" | "totalUs") => {
    console.log(`${title}\n\n| ${unit} | % | function |\n|---:|---:|---|`);
    const rows = [...summary.functions].sort((a, b) => b[key] - a[key]).filter((f) => f.frame !== "(root)" && f.frame !== "(idle)");
    for (const f of rows.slice(0, TOP)) console.log(`| ${per(f[key])} | ${((100 * f[key]) / busy).toFixed(1)} | ${f.frame.replace(/\|/g, "\\|")} |`);
    console.log("");
  };
  console.log(`Self time by package or service directory\n\n| ${unit} | % | where |\n|---:|---:|---|`);
  for (const p of summary.packages) console.log(`| ${per(p.selfUs)} | ${((100 * p.selfUs) / busy).toFixed(1)} | ${p.name} |`);
  console.log("");
  table("Self time (in the function itself)", "selfUs");
  table("Inclusive time (the function and what it calls)", "totalUs");
}

/** The process's start under the profiler: spawn until it listens with its bots loaded, then stopped. */
async function startup(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "start-profile-"));
  const started = performance.now();
  const service = await startProfiled(dir);
  const listeningMs = performance.now() - started;
  await service.stop();
  const summary = summaryIn(dir, "startup");
  const busy = summary.sampledUs - summary.idleUs;
  const ms = (us: number) => (us / 1000).toFixed(1);
  console.log(`Node ${process.version}; one start of the service bundle under the profiler, spawn to listening: ${listeningMs.toFixed(0)} ms`);
  console.log(`sampled, not idle: ${ms(busy)} ms (start and stop), of which garbage collection ${ms(summary.gcUs)} ms\n`);
  printTables(summary, busy, "ms", ms);
}

async function main(): Promise<void> {
  if (process.env.PROFILE_NO_BUILD !== "1") buildBundle();
  if (process.env.PROFILE_STARTUP === "1") return startup();
  const dir = mkdtempSync(path.join(tmpdir(), "turn-profile-"));
  const service = await startProfiled(dir);
  const pid = service.child.pid as number;

  await drive(service.url, "warm", WARMUP, CONNECTIONS);
  const fromUs = monotonicUs();
  const cpuBefore = processCpuUs(pid);
  const wallBefore = performance.now();
  await drive(service.url, "measured", TURNS, CONNECTIONS);
  const cpuUs = processCpuUs(pid) - cpuBefore;
  const wallMs = performance.now() - wallBefore;
  const toUs = monotonicUs();
  await service.stop();

  const summary = summaryIn(dir, "turn", { fromUs, toUs });

  const perTurn = (us: number) => (us / TURNS).toFixed(1);
  console.log(`Node ${process.version}; ${TURNS} turns over ${CONNECTIONS} connections after ${WARMUP} to warm up; ${(wallMs / 1000).toFixed(1)} s`);
  console.log(`service process CPU (/proc): ${perTurn(cpuUs)} µs per turn`);
  const busy = summary.sampledUs - summary.idleUs;
  console.log(`sampled, not idle: ${perTurn(busy)} µs per turn, of which garbage collection ${perTurn(summary.gcUs)} µs\n`);
  printTables(summary, busy, "µs/turn", perTurn);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
