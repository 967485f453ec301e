import { type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { PIZZA_BOT_YAML, twoBotsDir } from "../fixtures/twoBots";
import { Chat, shown } from "./harness";
import { type Started, startLocal } from "./localRun";

const hasProc = existsSync("/proc/self/stat");

/** Every process below `pid` (Linux /proc): what must not outlive `npm start`. */
function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // pid (comm) state ppid …: comm may hold spaces and parentheses, so split after its last ")".
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // The process ended while we read.
    }
  }
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [child, ppid] of parents) {
      if (ppid === parent) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Resolves once none of the processes is left (the test's timeout bounds the wait). */
async function gone(pids: number[]): Promise<void> {
  while (pids.some(alive)) await new Promise((resolve) => setTimeout(resolve, 50));
}

/** Whether a port on 127.0.0.1 can be listened on again. */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

const portOf = (url: string) => Number(new URL(url).port);

describe("npm start (scripts/start-local.ts)", () => {
  let out: string;
  let bots: string;
  const running = new Set<ChildProcess>();

  beforeAll(() => {
    out = mkdtempSync(path.join(tmpdir(), "start-local-"));
    bots = twoBotsDir();
  });
  afterAll(() => {
    for (const child of running) if (child.exitCode === null && child.signalCode === null && child.pid) process.kill(-child.pid, "SIGKILL");
    rmSync(out, { recursive: true, force: true });
    rmSync(bots, { recursive: true, force: true });
  });

  async function start(env: Record<string, string>, options?: { direct?: boolean }): Promise<Started> {
    const started = await startLocal({ SYNTH_OUT_DIR: out, ...env }, options);
    running.add(started.child);
    return started;
  }

  test("serves every bot of BOTS_DIR: renders the stack's flow for each into its own folder, and chats with either", async () => {
    const local = await start({ BOTS_DIR: bots });
    try {
      expect(local.chat).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(local.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/botconnector\/messages$/);
      expect(local.stderr()).toMatch(/Verify token header:\s+verify-token: \S{20,}/);
      expect(local.stderr()).toMatch(/Bots:\s+acme-support 1\.0 \(en-us, de-de\) · pizza 1\.0 \(en-us\), from \S+two-bots-/);
      // Another BOTS_DIR never overwrites out/dev, what the dev stack deploys.
      const folder = path.join(out, `dev@${path.basename(bots)}`);
      expect(readFileSync(path.join(folder, "bots", "acme-support", "architect-flow.yaml"), "utf8")).toContain("Acme Virtual Agent DEV Inbound Message");
      expect(readFileSync(path.join(folder, "bots", "pizza", "architect-flow.yaml"), "utf8")).toContain('"Pizza Palace":');
      expect(JSON.parse(readFileSync(path.join(folder, "bot-list.json"), "utf8")).chatBots).toHaveLength(2);
      expect(existsSync(path.join(out, "dev"))).toBe(false);

      const base = local.chat.replace(/\/$/, "");
      const info = (await (await fetch(base + "/api/info")).json()) as { bots: Array<{ id: string; messenger: { botDisplayName: string }; flow: { languages: string[] } }> };
      expect(info.bots.map((b) => [b.id, b.messenger.botDisplayName, b.flow.languages])).toEqual([
        ["acme-support", "Ava (dev)", ["en-us", "de-de"]],
        ["pizza", "Pizza Palace", ["en-us"]],
      ]);
      const acme = await Chat.start(base, { participantData: { customerName: "Ada" } });
      expect(shown(acme.events)).toEqual(["Hi Ada! I'm Ava, Acme's virtual assistant.", "What can I help you with?"]);
      await acme.say("I want to talk to an agent");
      expect(acme.flow("transfer")[0]).toMatchObject({ queue: "Acme Virtual Agent DEV Hand-over" });
      const pizza = await Chat.start(base, { bot: "pizza" });
      expect(shown(pizza.events)).toEqual(["Welcome to Pizza Palace! What size would you like?"]);
      await pizza.click("Large");
      expect(pizza.flow("complete")[0]).toMatchObject({ intent: "PizzaOrdered", slots: { size: "large" } });
    } finally {
      if (local.child.pid) process.kill(local.child.pid, "SIGTERM");
      await local.exited;
    }
  });

  const runIf = hasProc ? test.each : test.skip.each;
  runIf([
    ["SIGTERM sent to the npm process", "SIGTERM", "npm"],
    ["SIGINT sent to the npm process", "SIGINT", "npm"],
    ["Ctrl-C (SIGINT to the terminal's process group)", "SIGINT", "group"],
    ["the npm process killed outright (SIGKILL)", "SIGKILL", "npm"],
  ] as const)("stops completely on %s: no process left, both ports free", async (_what, signal, target) => {
    const local = await start({});
    const npm = local.child.pid as number;
    const below = descendants(npm);
    expect(below.length).toBeGreaterThan(0);
    const ports = [portOf(local.chat), portOf(local.endpoint)];
    await expect(Promise.all(ports.map(isFree))).resolves.toEqual([false, false]);

    process.kill(target === "group" ? -npm : npm, signal);
    await local.exited;
    await gone(below);
    await expect(Promise.all(ports.map(isFree))).resolves.toEqual([true, true]);
    if (signal !== "SIGKILL") expect(local.stderr()).toContain(`${signal}: stopping the emulator and the service`);
  });

  async function failure(env: Record<string, string>): Promise<string> {
    const error = await start(env, { direct: true }).then(
      () => {
        throw new Error("it started");
      },
      (err: Error) => err.message,
    );
    expect(error).toMatch(/^exited with 1:/);
    expect(error).not.toMatch(/\n\s+at /);
    return error;
  }

  describe("a configuration mistake is one message, without a stack trace", () => {
    let holder: Server;
    let taken: number;
    beforeAll(async () => {
      holder = createServer();
      await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
      taken = (holder.address() as { port: number }).port;
    });
    afterAll(() => new Promise<void>((resolve) => holder.close(() => resolve())));

    test("the service port in use", async () => {
      expect(await failure({ PORT: String(taken) })).toContain(`npm start: the service cannot start:\n  - PORT ${taken} is already in use on 127.0.0.1; stop what holds it or set PORT to a free port`);
    });

    test("the emulator port in use", async () => {
      expect(await failure({ EMULATOR_PORT: String(taken) })).toContain(`npm start: EMULATOR_PORT ${taken} cannot be used: it is already in use. Set EMULATOR_PORT to a free port.`);
    });

    test("an unknown stack", async () => {
      expect(await failure({ LOCAL_STACK: "qa" })).toMatch(/npm start: unknown stack "qa"; stacks in this project: .*\bdev\b/);
    });

    test("a BOTS_DIR that does not exist", async () => {
      expect(await failure({ BOTS_DIR: path.join(out, "no-such-folder") })).toContain(`npm start: BOTS_DIR ${path.join(out, "no-such-folder")} does not exist`);
    });

    test("an invalid bot", async () => {
      const broken = mkdtempSync(path.join(tmpdir(), "broken-bot-"));
      writeFileSync(path.join(broken, "broken.yaml"), readFileSync(PIZZA_BOT_YAML, "utf8").replace("next: done", "next: nowhere"));
      try {
        expect(await failure({ BOTS_DIR: broken })).toMatch(/npm start: invalid bot definition:\n {2}\S+broken\.yaml:\d+ \/nodes\/size\/next: node "nowhere" does not exist/);
      } finally {
        rmSync(broken, { recursive: true, force: true });
      }
    });
  });
});
