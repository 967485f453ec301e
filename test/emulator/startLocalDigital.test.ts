import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PROCESS_START_MS } from "../support/time";
import { Chat } from "./harness";

const root = path.join(__dirname, "..", "..");
const tsx = path.join(root, "node_modules", ".bin", "tsx");

/** `LOCAL_PROTOCOL=v2 npm start`: the dev stack played on the Digital Bot Connector, stopped cleanly on SIGTERM. */
describe("npm start with LOCAL_PROTOCOL=v2", () => {
  let child: ChildProcess | undefined;
  let out: string;
  let stderr = "";

  beforeAll(() => {
    out = mkdtempSync(path.join(tmpdir(), "start-local-v2-"));
  });
  afterAll(() => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    rmSync(out, { recursive: true, force: true });
  });

  test("renders the v2 flow, serves the Digital Bot Connector, chats, and stops on SIGTERM", async () => {
    child = spawn(tsx, ["scripts/start-local.ts"], {
      cwd: root,
      env: { ...process.env, LOCAL_PROTOCOL: "v2", PORT: "0", EMULATOR_PORT: "0", LOG_LEVEL: "warn", SYNTH_OUT_DIR: out },
      stdio: ["ignore", "ignore", "pipe"],
    });
    const urls = await new Promise<{ chat: string; uri: string; platform: string }>((resolve, reject) => {
      const timer = setTimeout(() => {
        child?.kill("SIGKILL");
        reject(new Error(`no URLs within ${PROCESS_START_MS} ms:\n${stderr}`));
      }, PROCESS_START_MS);
      child?.stderr?.on("data", (chunk: Buffer) => {
        stderr += chunk.toString("utf8");
        const chat = /Chat with the bot:\s+(\S+)/.exec(stderr)?.[1];
        const uri = /Digital Bot Connector URI:\s+(\S+)/.exec(stderr)?.[1];
        const platform = /Genesys Platform API:\s+(\S+)/.exec(stderr)?.[1];
        if (chat && uri && platform && /Ctrl-C/.test(stderr)) {
          clearTimeout(timer);
          resolve({ chat, uri, platform });
        }
      });
      child?.on("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`exited with ${code}:\n${stderr}`));
      });
    });
    expect(urls.uri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/digitalbotconnector$/);
    expect(existsSync(path.join(out, "dev", "bots.json"))).toBe(true);

    const base = urls.chat.replace(/\/$/, "");
    const info = (await (await fetch(base + "/api/info")).json()) as { protocol: string; botConnectorUrl: string };
    expect(info).toMatchObject({ protocol: "v2", botConnectorUrl: urls.uri });
    const chat = await Chat.start(base);
    await chat.say("I want to talk to an agent");
    expect(chat.flow("complete")[0]).toMatchObject({ intent: "AgentRequested" });
    expect(chat.flow("transfer")[0]).toMatchObject({ queue: "Acme Virtual Agent DEV Hand-over" });

    const exited = new Promise<number | null>((resolve) => child?.on("exit", (code) => resolve(code)));
    child?.kill("SIGTERM");
    expect(await exited).toBe(0);
    await expect(fetch(base + "/healthz")).rejects.toThrow();
    await expect(fetch(urls.platform + "/oauth/token", { method: "POST" })).rejects.toThrow();
  });
});
