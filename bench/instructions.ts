/**
 * `npm run bench:instructions`: instructions per turn of the service, counted by valgrind's callgrind. On a busy
 * shared machine wall-clock throughput and even CPU time move with the other work; an instruction count does not
 * (it still moves a little with when the garbage collector and the JIT compiler happen to run, hence several rounds).
 *
 * Runs the service bundle under `valgrind --tool=callgrind` (about 50 times slower), warms it up, then for each round
 * zeroes the counters, sends the scripted sessions and dumps the counts: instructions per turn on the main thread (the
 * JavaScript, the HTTP parser, the scavenges) and in all threads (plus the JIT compiler and concurrent GC).
 *
 * Options (environment): INSTR_TURNS (turns per round, 2000), INSTR_ROUNDS (3), INSTR_WARMUP (3000),
 * INSTR_CONNECTIONS (8), INSTR_SERVER=bare (count the bare node:http server of `npm run bench` instead, answering
 * 400 bytes), PROFILE_NO_BUILD=1 (use service/dist/main.js as it is). Needs valgrind (apt: valgrind).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { stats } from "./report";
import { BARE_SERVER, buildBundle, drive, SERVICE_MAIN, serviceEnv, startProcess } from "./serviceProcess";

const TURNS = Number(process.env.INSTR_TURNS ?? 2000);
const ROUNDS = Number(process.env.INSTR_ROUNDS ?? 3);
const WARMUP = Number(process.env.INSTR_WARMUP ?? 3000);
const CONNECTIONS = Number(process.env.INSTR_CONNECTIONS ?? 8);
/** valgrind and vgdb name their pipe after $HOST: both must see the same value. */
const HOST = "127.0.0.1";
const BARE = process.env.INSTR_SERVER === "bare";

function totalsOf(file: string): number {
  const m = /^totals: (\d+)/m.exec(readFileSync(file, "utf8")) ?? /^summary: (\d+)/m.exec(readFileSync(file, "utf8"));
  if (!m?.[1]) throw new Error(`no totals in ${file}`);
  return Number(m[1]);
}

async function main(): Promise<void> {
  try {
    execFileSync("valgrind", ["--version"], { stdio: "ignore" });
  } catch {
    throw new Error("valgrind is not installed (apt-get install valgrind)");
  }
  if (!BARE && process.env.PROFILE_NO_BUILD !== "1") buildBundle();
  const dir = mkdtempSync(path.join(tmpdir(), "turn-instructions-"));
  const out = path.join(dir, "callgrind.out");
  const service = await startProcess(
    "valgrind",
    ["--tool=callgrind", "--smc-check=all-non-file", "--separate-threads=yes", `--callgrind-out-file=${out}`, process.execPath, BARE ? BARE_SERVER : SERVICE_MAIN],
    BARE ? { HOST, BODY_BYTES: "400" } : serviceEnv({ HOST }),
  );
  const pid = String(service.child.pid);
  const control = (flag: string) => execFileSync("callgrind_control", [flag, pid], { env: { ...process.env, HOST }, stdio: "ignore" });
  const mainThread: number[] = [];
  const all: number[] = [];
  try {
    await drive(service.url, "warm", WARMUP, CONNECTIONS);
    for (let round = 1; round <= ROUNDS; round++) {
      control("-z");
      await drive(service.url, `round${round}`, TURNS, CONNECTIONS);
      control("-d");
      // One file per thread: callgrind.out.<dump>-<thread>.
      const files = readdirSync(dir).filter((f) => f.startsWith(`callgrind.out.${round}-`));
      const mainFile = path.join(dir, `callgrind.out.${round}-01`);
      if (!existsSync(mainFile)) throw new Error(`callgrind wrote no dump for round ${round}`);
      mainThread.push(totalsOf(mainFile) / TURNS);
      all.push(files.reduce((n, f) => n + totalsOf(path.join(dir, f)), 0) / TURNS);
      console.error(`round ${round}: ${Math.round(mainThread[mainThread.length - 1] as number)} main thread, ${Math.round(all[all.length - 1] as number)} all threads`);
    }
  } finally {
    await service.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const fmt = (n: number) => Math.round(n / 1000).toLocaleString("en-US");
  const line = (label: string, values: number[]) => {
    const s = stats(values);
    console.log(`${label}: median ${fmt(s.median)}k instructions per turn (min ${fmt(s.min)}k, max ${fmt(s.max)}k)`);
  };
  console.log(`${BARE ? "bare node:http server" : "service"}, Node ${process.version}; ${ROUNDS} rounds of ${TURNS} turns over ${CONNECTIONS} connections after ${WARMUP} to warm up`);
  line("main thread", mainThread);
  line("all threads", all);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
