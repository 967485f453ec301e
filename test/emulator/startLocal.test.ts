import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PROCESS_START_MS } from "../support/time";
import { Chat, shown } from "./harness";

const root = path.join(__dirname, "..", "..");
const tsx = path.join(root, "node_modules", ".bin", "tsx");

/** `npm start` as a process: renders the stack, starts the service and the emulator, stops both on SIGTERM. */
describe("npm start (scripts/start-local.ts)", () => {
  let child: ChildProcess | undefined;
  let out: string;
  let stderr = "";

  beforeAll(() => {
    out = mkdtempSync(path.join(tmpdir(), "start-local-"));
  });
  afterAll(() => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    rmSync(out, { recursive: true, force: true });
  });

  function startLocal(env: Record<string, string>): Promise<{ chat: string; endpoint: string }> {
    child = spawn(tsx, ["scripts/start-local.ts"], {
      cwd: root,
      env: { ...process.env, PORT: "0", EMULATOR_PORT: "0", LOG_LEVEL: "warn", SYNTH_OUT_DIR: out, ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URLs within ${PROCESS_START_MS} ms:\n${stderr}`)), PROCESS_START_MS);
      child?.stderr?.on("data", (chunk: Buffer) => {
        stderr += chunk.toString("utf8");
        const chat = /Chat with the bot:\s+(\S+)/.exec(stderr)?.[1];
        const endpoint = /Bot Connector endpoint:\s+(\S+)/.exec(stderr)?.[1];
        if (chat && endpoint) {
          clearTimeout(timer);
          resolve({ chat, endpoint });
        }
      });
      child?.on("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`exited with ${code}:\n${stderr}`));
      });
    });
  }

  test("renders the dev stack, wires the emulator to the service, chats, and stops cleanly on SIGTERM", async () => {
    const { chat: chatUrl, endpoint } = await startLocal({});
    expect(chatUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/botconnector\/messages$/);
    expect(stderr).toMatch(/Verify token header:\s+verify-token: \S{20,}/);
    expect(readFileSync(path.join(out, "dev", "architect-flow.yaml"), "utf8")).toContain("Acme Virtual Agent DEV Inbound Message");
    expect(existsSync(path.join(out, "dev", "bot-list.json"))).toBe(true);

    const base = chatUrl.replace(/\/$/, "");
    const info = (await (await fetch(base + "/api/info")).json()) as { messenger: { botDisplayName: string }; botConnectorUrl: string };
    expect(info.messenger.botDisplayName).toBe("Ava (dev)");
    expect(info.botConnectorUrl).toBe(endpoint);
    const chat = await Chat.start(base, { participantData: { customerName: "Ada" } });
    expect(shown(chat.events)).toEqual(["Hi Ada! I'm Ava, Acme's virtual assistant.", "What can I help you with?"]);
    await chat.say("I want to talk to an agent");
    expect(chat.flow("transfer")[0]).toMatchObject({ queue: "Acme Virtual Agent DEV Hand-over" });

    const exited = new Promise<number | null>((resolve) => child?.on("exit", (code) => resolve(code)));
    child?.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(stderr).toContain("SIGTERM: stopping the emulator and the service");
    await expect(fetch(base + "/healthz")).rejects.toThrow();
    await expect(fetch(endpoint.replace("/botconnector/messages", "/healthz"))).rejects.toThrow();
  });

  test("an unknown stack fails with the stacks there are", async () => {
    stderr = "";
    await expect(startLocal({ LOCAL_STACK: "qa" })).rejects.toThrow(/npm start: unknown stack "qa"; stacks in this project: .*\bdev\b/);
  });
});
