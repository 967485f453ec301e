/**
 * `npm run bench:cpu`: CPU time per turn of the service, in this process (app.inject, no sockets): 20,000 turns of
 * the benchmark's scripted sessions after 3,000 to warm up. Steadier than the saturation ratio on a shared machine,
 * since other processes' load changes the time a turn takes far more than the CPU it uses.
 */
import path from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import { createService } from "../service/src/app";
import { loadConfig } from "../service/src/config";
import { turnRequestBody, TurnStream } from "./conversations";

const ROOT = path.join(__dirname, "..");
const TOKEN = "bench-verify-token-0123456789abcdef";
const TURNS = Number(process.env.BENCH_CPU_TURNS ?? 20_000);

async function main(): Promise<void> {
  const config = loadConfig({ VERIFY_TOKEN: TOKEN, BOTS_DIR: path.join(ROOT, "service", "bots"), LOG_LEVEL: "info" });
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  const service = createService(config, { logger: pino({ level: "info" }, discard) });
  await service.app.ready();
  const stream = new TurnStream(`cpu-${process.pid}`);
  const run = async (n: number) => {
    for (let i = 0; i < n; i++) {
      const turn = stream.next();
      const res = await service.app.inject({
        method: "POST",
        url: "/botconnector/messages",
        headers: { "content-type": "application/json", "verify-token": TOKEN },
        payload: turnRequestBody(turn.sessionId, turn.text),
      });
      if (res.statusCode !== 200) throw new Error(res.body);
    }
  };
  await run(3000);
  const before = process.cpuUsage();
  await run(TURNS);
  const used = process.cpuUsage(before);
  console.log(`${((used.user + used.system) / TURNS).toFixed(1)} µs CPU per turn (${TURNS} turns, in-process)`);
  await service.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
