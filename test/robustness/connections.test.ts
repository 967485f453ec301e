/**
 * Connection hygiene (docs/robustness.md): a connection that never sends a byte is closed by the service after
 * REQUEST_TIMEOUT_MS (Node's own request and header timeouts start only with a request's first byte); open
 * connections are a gauge; approaching the connection limit is logged once, and connections past it are refused
 * and counted instead of exhausting the process's descriptors; the limit leaves room in the open-file limit read from
 * the process; an idle keep-alive connection outlives the request timeout.
 */
import { once } from "node:events";
import { mkdtempSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { connectionLimit, descriptorReserve, processOpenFileLimit } from "../../service/src/connections";
import { startService, type TestService } from "../service/harness";

async function metric(svc: TestService, name: string): Promise<number> {
  const text = await (await fetch(`${svc.url}/metrics`, { headers: { connection: "close" } })).text();
  return Number(new RegExp(`^${name} (\\d+)`, "m").exec(text)?.[1] ?? NaN);
}

async function connect(port: number): Promise<net.Socket> {
  const socket = net.connect(port, "127.0.0.1");
  await once(socket, "connect");
  return socket;
}

/** Resolves when the peer closes the socket, or with "still open" after `guardMs` (so a failure is a failure, not a hang). */
function closedByPeer(socket: net.Socket, guardMs: number): Promise<"closed" | "still open"> {
  return new Promise((resolve) => {
    const guard = setTimeout(() => resolve("still open"), guardMs);
    socket.once("close", () => {
      clearTimeout(guard);
      resolve("closed");
    });
  });
}

describe("a connection that never sends a byte", () => {
  const TIMEOUT = 500;
  let svc: TestService;
  beforeAll(async () => {
    svc = await startService({ REQUEST_TIMEOUT_MS: String(TIMEOUT) });
  });
  afterAll(() => svc.close());

  test("is closed by the service after REQUEST_TIMEOUT_MS, and counted", async () => {
    const port = Number(new URL(svc.url).port);
    const silent = await metric(svc, 'botconnector_connections_closed_total\\{reason="silent"\\}').catch(() => 0);
    const socket = await connect(port);
    const started = performance.now();
    socket.on("error", () => {});
    // The guard is twenty times the timeout: only a connection that is never closed fails this.
    expect(await closedByPeer(socket, TIMEOUT * 20)).toBe("closed");
    expect(performance.now() - started).toBeGreaterThanOrEqual(TIMEOUT - 50);
    expect(socket.bytesRead).toBe(0);
    expect((await metric(svc, 'botconnector_connections_closed_total\\{reason="silent"\\}')) - (Number.isNaN(silent) ? 0 : silent)).toBe(1);
  });

  test("an idle keep-alive connection that did send a request is not closed as silent", async () => {
    const port = Number(new URL(svc.url).port);
    const socket = await connect(port);
    const request = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    let received = "";
    socket.on("data", (d: Buffer) => (received += d.toString()));
    socket.write(request);
    // Idle for three request timeouts (the keep-alive timeout is 65 s), then the same connection is used again.
    expect(await closedByPeer(socket, TIMEOUT * 3)).toBe("still open");
    socket.write(request);
    await new Promise<void>((resolve) => socket.on("data", () => received.split("HTTP/1.1 200").length > 2 && resolve()));
    expect(received.split("HTTP/1.1 200")).toHaveLength(3);
    socket.destroy();
  });
});

describe("the connection limit", () => {
  const LIMIT = 20;
  let svc: TestService;
  beforeAll(async () => {
    svc = await startService({ MAX_CONNECTIONS: String(LIMIT), LOG_LEVEL: "info" });
  });
  afterAll(() => svc.close());

  test("open connections are a gauge; near the limit a warning, once; past it refused, counted and logged; back down, logged", async () => {
    const port = Number(new URL(svc.url).port);
    expect(await metric(svc, "botconnector_connection_limit")).toBe(LIMIT);
    const sockets: net.Socket[] = [];
    // 80 % of the limit (the metrics requests use connections of their own, closed after each).
    for (let i = 0; i < 16; i++) sockets.push(await connect(port));
    expect(await metric(svc, "botconnector_open_connections")).toBeGreaterThanOrEqual(16);
    const warnings = () => svc.logs.lines.filter((l) => l.msg === "open connections approaching the limit (MAX_CONNECTIONS / open-file limit)");
    expect(warnings()).toEqual([expect.objectContaining({ level: 40, limit: LIMIT })]);

    // Ten more than fit: the service closes the excess at once instead of holding them.
    const extra = await Promise.all(Array.from({ length: 10 }, () => connect(port)));
    const outcomes = await Promise.all(extra.map((s) => (s.on("error", () => {}), closedByPeer(s, 2000))));
    expect(outcomes.filter((o) => o === "closed").length).toBeGreaterThanOrEqual(6);
    sockets.push(...extra);
    expect(svc.logs.lines.filter((l) => l.msg === "connection limit reached: new connections are refused until some close")).toHaveLength(1);
    expect(warnings()).toHaveLength(1);

    for (const s of sockets) s.destroy();
    const back = () => svc.logs.lines.some((l) => l.msg === "open connections back below the warning level");
    for (let i = 0; i < 200 && !back(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(back()).toBe(true);
    // Read once there is room again: at the limit, the metrics request itself would be refused.
    expect(await metric(svc, 'botconnector_connections_closed_total\\{reason="refused"\\}')).toBeGreaterThanOrEqual(6);
    expect(await metric(svc, "botconnector_open_connections")).toBeLessThanOrEqual(2);
  });
});

describe("the limit read from the process", () => {
  test("the soft open-file limit comes from /proc/self/limits", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "limits-"));
    const file = path.join(dir, "limits");
    writeFileSync(
      file,
      "Limit                     Soft Limit           Hard Limit           Units\nMax processes             63443                63443                processes\nMax open files            1024                 524288               files\n",
    );
    expect(processOpenFileLimit(file)).toBe(1024);
    expect(processOpenFileLimit(path.join(dir, "absent"))).toBeUndefined();
    // This process's own limit is read too (Linux).
    if (process.platform === "linux") expect(processOpenFileLimit()).toBeGreaterThan(0);
  });

  test("MAX_CONNECTIONS is lowered to what the open-file limit leaves after its reserve", () => {
    expect(descriptorReserve(1024)).toBe(128);
    expect(connectionLimit(8192, 1024)).toBe(896);
    expect(connectionLimit(8192, 9216)).toBe(8192);
    expect(connectionLimit(100, 1024)).toBe(100);
    expect(connectionLimit(8192, undefined)).toBe(8192);
  });

  test("a service started under a low open-file limit reports the lowered limit", async () => {
    const svc = await startService({}, { openFileLimit: 1024 });
    try {
      expect(await metric(svc, "botconnector_connection_limit")).toBe(896);
    } finally {
      await svc.close();
    }
  });
});
