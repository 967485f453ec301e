import { spawn } from "node:child_process";
import path from "node:path";
import { PROCESS_TOKEN, startServiceProcess } from "../load/serviceProcess";
import { eventually, LOAD_TOLERANCE_MS } from "../support/time";
import { FaultyStore } from "./faultyStore";
import { startService, turnBody } from "./harness";

const ROOT = path.join(__dirname, "..", "..");

describe("graceful shutdown", () => {
  test("close() stops accepting, answers every turn in flight, then resolves", async () => {
    const store = new FaultyStore();
    const svc = await startService({}, { store });
    // Three turns inside the service (their session loads held) when close() begins.
    store.holdLoads = true;
    const inFlight = Promise.all([svc.post(turnBody()), svc.post(turnBody()), svc.post(turnBody())]);
    await eventually(() => store.held === 3, "three turns in flight");
    const closed = svc.close();
    await eventually(async () => (await fetch(svc.url + "/healthz").then((r) => r.status, () => "refused")) !== 200, "the service to stop accepting");
    store.release();
    const answers = await inFlight;
    const lastAnswered = performance.now();
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.body.botState).toBe("MoreData");
    }
    await closed;
    // Keep-alive connections must not hold the close until their idle timeout (65 s).
    expect(performance.now() - lastAnswered).toBeLessThan(LOAD_TOLERANCE_MS);
    await expect(fetch(svc.url + "/healthz")).rejects.toThrow();
  });

  test("answers in flight when close() begins end their keep-alive connection: a turn and a failing /readyz", async () => {
    // A store that holds every load and ping until the test lets it go.
    const store = new FaultyStore();
    const held: Array<() => void> = [];
    const hold = () => new Promise<void>((resolve) => held.push(resolve));
    const load = store.load.bind(store);
    store.load = async (id, signal) => {
      await hold();
      return load(id, signal);
    };
    store.ping = async () => {
      await hold();
      throw new Error("store unreachable (test)");
    };
    const svc = await startService({}, { store });
    const turn = svc.post(turnBody());
    const ready = fetch(svc.url + "/readyz");
    await eventually(() => held.length === 2, "the turn's load and the readiness ping held");
    const closed = svc.close();
    await eventually(async () => (await fetch(svc.url + "/healthz").then((r) => r.status, () => "refused")) !== 200, "the service to stop accepting");
    for (const release of held) release();
    const [turnAnswer, readyAnswer] = await Promise.all([turn, ready]);
    expect([turnAnswer.status, turnAnswer.headers.get("connection")]).toEqual([200, "close"]);
    expect([readyAnswer.status, readyAnswer.headers.get("connection")]).toEqual([503, "close"]);
    await closed;
  });

  test("the process stops on SIGTERM with exit code 0, not the shutdown deadline's 1", async () => {
    const svc = await startServiceProcess({});
    try {
      expect((await fetch(svc.url + "/readyz")).status).toBe(200);
      const { code } = await svc.stop();
      // The deadline (9 s, within ECS's stopTimeout) would force an exit with 1.
      expect(code).toBe(0);
      expect(svc.output()).toContain('"msg":"stopped"');
      expect(svc.output()).not.toContain(PROCESS_TOKEN);
    } finally {
      await svc.stop();
    }
  });

  test("the process refuses to start without VERIFY_TOKEN and says why", async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: "0" };
    delete env.VERIFY_TOKEN;
    delete env.LOCAL_MODE;
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "service", "src", "main.ts")], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    expect(code).toBe(1);
    expect(err).toContain("VERIFY_TOKEN is not set");
  });
});
