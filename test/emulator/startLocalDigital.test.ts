import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Chat } from "./harness";
import { type Started, startLocal } from "./localRun";

/** `LOCAL_PROTOCOL=v2 npm start`: the dev stack played on the Digital Bot Connector, stopped cleanly on SIGTERM. */
describe("npm start with LOCAL_PROTOCOL=v2", () => {
  let local: Started | undefined;
  let out: string;

  beforeAll(() => {
    out = mkdtempSync(path.join(tmpdir(), "start-local-v2-"));
  });
  afterAll(() => {
    const child = local?.child;
    if (child?.pid && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, "SIGKILL");
    rmSync(out, { recursive: true, force: true });
  });

  test("renders the v2 flow, serves the Digital Bot Connector, chats, and stops on SIGTERM", async () => {
    local = await startLocal({ LOCAL_PROTOCOL: "v2", SYNTH_OUT_DIR: out }, { direct: true });
    const platform = /Genesys Platform API:\s+(\S+)/.exec(local.stderr())?.[1];
    expect(local.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/digitalbotconnector$/);
    expect(platform).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(existsSync(path.join(out, "dev", "bots.json"))).toBe(true);

    const base = local.chat.replace(/\/$/, "");
    const info = (await (await fetch(base + "/api/info")).json()) as { protocol: string; botConnectorUrl: string };
    expect(info).toMatchObject({ protocol: "v2", botConnectorUrl: local.endpoint });
    const chat = await Chat.start(base);
    await chat.say("I want to talk to an agent");
    expect(chat.flow("complete")[0]).toMatchObject({ intent: "AgentRequested" });
    expect(chat.flow("transfer")[0]).toMatchObject({ queue: "Acme Virtual Agent DEV Hand-over" });

    local.child.kill("SIGTERM");
    expect((await local.exited).code).toBe(0);
    await expect(fetch(base + "/healthz")).rejects.toThrow();
    await expect(fetch(platform + "/oauth/token", { method: "POST" })).rejects.toThrow();
  });
});
