import { spawn } from "node:child_process";
import path from "node:path";
import { FaultyStore } from "./faultyStore";
import { SAMPLE_BOTS, startService, turnBody } from "./harness";

const ROOT = path.join(__dirname, "..", "..");

describe("graceful shutdown", () => {
  test("close() stops accepting, answers every turn in flight, then resolves", async () => {
    const store = new FaultyStore();
    const svc = await startService({}, { store });
    store.loadDelayMs = 300;
    const inFlight = Promise.all([svc.post(turnBody()), svc.post(turnBody()), svc.post(turnBody())]);
    await new Promise((r) => setTimeout(r, 50));
    const closeStarted = Date.now();
    const closed = svc.close().then(() => Date.now() - closeStarted);
    const answers = await inFlight;
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.body.botState).toBe("MoreData");
    }
    // Keep-alive connections must not hold the close until their idle timeout (65 s).
    expect(await closed).toBeLessThan(5_000);
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
    while (held.length < 2) await new Promise((r) => setImmediate(r));
    const closed = svc.close();
    // Closing has begun once the server refuses new connections (or answers them 503).
    for (;;) {
      const probe = await fetch(svc.url + "/healthz").catch(() => undefined);
      if (probe?.status !== 200) break;
    }
    for (const release of held) release();
    const [turnAnswer, readyAnswer] = await Promise.all([turn, ready]);
    expect([turnAnswer.status, turnAnswer.headers.get("connection")]).toEqual([200, "close"]);
    expect([readyAnswer.status, readyAnswer.headers.get("connection")]).toEqual([503, "close"]);
    await closed;
  });

  test("the process exits 0 on SIGTERM, well within 10 s", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "service", "src", "main.ts")], {
      cwd: ROOT,
      env: { ...process.env, VERIFY_TOKEN: "process-token-0123456789abcdef", PORT: "0", HOST: "127.0.0.1", BOTS_DIR: SAMPLE_BOTS },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listening line:\n${out}`)), 20_000);
      child.stdout.on("data", () => {
        const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
        if (m?.[1]) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
    });
    expect((await fetch(url + "/readyz")).status).toBe(200);
    const started = Date.now();
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    const code = await exited;
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(out).toContain('"msg":"stopped"');
    expect(out).not.toContain("process-token");
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
