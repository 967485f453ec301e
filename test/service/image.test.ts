import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { ensureSessionTable } from "../../scripts/session-table-create";
import { localClient, startDynalite } from "../sessions/localDynamo";
import { eventually, PROCESS_START_MS } from "../support/time";

const ROOT = path.join(__dirname, "..", "..");
const SERVICE = path.join(ROOT, "service");
const read = (p: string) => readFileSync(p, "utf8");
const json = (p: string) => JSON.parse(read(p)) as Record<string, Record<string, string>>;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    return statSync(full).isDirectory() ? sources(full) : entry.endsWith(".ts") ? [full] : [];
  });
}

/** The image is built from service/ alone; these checks stand in for `docker build`, which CI cannot run. */
describe("service image", () => {
  const dockerfile = read(path.join(SERVICE, "Dockerfile"));
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const final = stages[stages.length - 1] ?? "";

  test("multi-stage, on an LTS Node base, a bundle without node_modules, non-root, exec-form start", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const base = /^ARG NODE_IMAGE=node:(\d+)-[a-z]+-slim$/m.exec(dockerfile);
    expect(base).not.toBeNull();
    expect(Number(base?.[1]) % 2).toBe(0); // even majors are the LTS lines
    expect(dockerfile).toMatch(/npm ci --ignore-scripts/);
    expect(dockerfile).toMatch(/^RUN npm run build$/m);
    expect(dockerfile).not.toMatch(/npm install/);
    expect(final).toMatch(/^USER node$/m);
    expect(final).not.toMatch(/^USER root/m);
    expect(final).toMatch(/^CMD \["node", "dist\/main.js"\]$/m);
    expect(final).toMatch(/^EXPOSE 8080$/m);
    expect(final).toMatch(/BOTS_DIR=\/app\/bots/);
    expect(final).not.toMatch(/node_modules|npm /);
  });

  test(".dockerignore lets in exactly what the Dockerfile copies", () => {
    const ignore = read(path.join(SERVICE, ".dockerignore")).split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
    expect(ignore[0]).toBe("**");
    const copied = [...dockerfile.matchAll(/^COPY (?:--chown=\S+ )?(?!--from)(.+) \S+$/gm)].flatMap((m) => (m[1] ?? "").split(/\s+/));
    for (const source of copied) expect(ignore.some((p) => p === `!${source}` || p === `!${source}/**`)).toBe(true);
    expect(ignore).not.toContain("!node_modules/**");
  });

  test("every package the service imports is a declared dependency, pinned to the root's version and lockfile", () => {
    const servicePkg = json(path.join(SERVICE, "package.json"));
    const rootPkg = json(path.join(ROOT, "package.json"));
    const builtins = new Set(builtinModules);
    const imported = new Set<string>();
    for (const file of sources(path.join(SERVICE, "src"))) {
      for (const m of read(file).matchAll(/from "([^"]+)"/g)) {
        const spec = m[1] as string;
        if (spec.startsWith(".") || spec.startsWith("node:") || builtins.has(spec)) continue;
        imported.add(spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : (spec.split("/")[0] as string));
      }
    }
    for (const name of imported) expect(Object.keys(servicePkg.dependencies ?? {})).toContain(name);
    const rootLock = json(path.join(ROOT, "package-lock.json")).packages as unknown as Record<string, { version: string }>;
    const serviceLock = json(path.join(SERVICE, "package-lock.json")).packages as unknown as Record<string, { version: string }>;
    for (const [name, version] of Object.entries(servicePkg.devDependencies ?? {})) expect(version).toBe(rootPkg.devDependencies?.[name]);
    for (const [name, version] of Object.entries(servicePkg.dependencies ?? {})) {
      expect(version).toBe(rootPkg.dependencies?.[name]);
      expect(serviceLock[`node_modules/${name}`]?.version).toBe(version);
      expect(rootLock[`node_modules/${name}`]?.version).toBe(version);
    }
  });

  test("the bundle starts from the image's layout (dist and bots, no node_modules) and answers, with either session store", async () => {
    const app = mkdtempSync(path.join(tmpdir(), "image-layout-"));
    const db = await startDynalite();
    try {
      execFileSync(process.execPath, [path.join(SERVICE, "build", "bundle.cjs")], { env: { ...process.env, OUT_DIR: path.join(app, "dist") } });
      expect(readFileSync(path.join(app, "dist", "THIRD_PARTY_LICENSES.txt"), "utf8")).toMatch(/^fastify@5\.\d+\.\d+$/m);
      cpSync(path.join(SERVICE, "bots"), path.join(app, "bots"), { recursive: true });
      await ensureSessionTable(localClient(db.endpoint), "image-sessions");
      const stores = [
        {},
        { SESSION_STORE: "dynamodb", SESSION_TABLE: "image-sessions", AWS_REGION: "us-east-1", AWS_ENDPOINT_URL_DYNAMODB: db.endpoint, AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "x" },
      ];
      for (const storeEnv of stores) {
        const child = spawn(process.execPath, ["dist/main.js"], {
          cwd: app,
          env: { PATH: process.env.PATH, NODE_ENV: "production", VERIFY_TOKEN: "image-token-0123456789abcdef", PORT: "0", HOST: "127.0.0.1", BOTS_DIR: path.join(app, "bots"), ...storeEnv },
          stdio: ["ignore", "pipe", "pipe"],
        });
        // A process left running by a failed assertion would outlive the test run.
        try {
          let out = "";
          child.stdout.on("data", (d: Buffer) => (out += d.toString()));
          child.stderr.on("data", (d: Buffer) => (out += d.toString()));
          const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
          const url = await new Promise<string>((resolve, reject) => {
            const timer = setTimeout(() => {
              clearInterval(poll);
              reject(new Error(`did not start:\n${out}`));
            }, PROCESS_START_MS);
            const poll = setInterval(() => {
              const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
              if (m?.[1]) {
                clearTimeout(timer);
                clearInterval(poll);
                resolve(m[1]);
              }
            }, 20);
          });
          // /readyz gives the store 1 s, which dynalite in this loaded jest worker can miss once: ready is what it settles on.
          const ready = await eventually(async () => {
            const res = await fetch(url + "/readyz");
            return res.status === 200 && res;
          }, "readiness");
          expect(await ready.json()).toMatchObject({ status: "ready", sessionStore: storeEnv.SESSION_STORE ?? "memory" });
          const turn = await fetch(url + "/botconnector/messages", {
            method: "POST",
            headers: { "content-type": "application/json", "verify-token": "image-token-0123456789abcdef" },
            body: JSON.stringify({ botId: "Acme Support", botVersion: "1.0", botSessionId: "image-1", inputMessage: { type: "Text", text: "" } }),
          });
          expect(((await turn.json()) as { botState: string }).botState).toBe("MoreData");
          child.kill("SIGTERM");
          expect(await exited).toBe(0);
        } finally {
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
        }
      }
    } finally {
      await db.stop();
      rmSync(app, { recursive: true, force: true });
    }
  });
});
