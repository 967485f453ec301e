import net from "node:net";
import { LOAD_TOLERANCE_MS, TIMER_SLACK_MS } from "../support/time";
import { startService, TOKEN, turnBody, type TestService } from "./harness";

/** Sends raw bytes and resolves with whatever the server answered and when the connection closed. */
function rawExchange(port: number, chunks: string[]): Promise<{ response: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = net.connect(port, "127.0.0.1");
    let response = "";
    socket.on("data", (d) => (response += d.toString()));
    socket.on("error", reject);
    socket.on("close", () => resolve({ response, closedAfterMs: performance.now() - started }));
    socket.on("connect", () => {
      for (const c of chunks) socket.write(c);
    });
  });
}

describe("slow and stalled clients are bounded", () => {
  let svc: TestService;
  let port: number;
  const TIMEOUT = 800;
  beforeAll(async () => {
    svc = await startService({ REQUEST_TIMEOUT_MS: String(TIMEOUT) });
    port = Number(new URL(svc.url).port);
  });
  afterAll(() => svc.close());

  test("headers that never finish: the connection is closed after the request timeout", async () => {
    const { closedAfterMs } = await rawExchange(port, ["POST /botconnector/messages HTTP/1.1\r\nHost: x\r\n"]);
    expect(closedAfterMs).toBeGreaterThanOrEqual(TIMEOUT - TIMER_SLACK_MS);
    expect(closedAfterMs).toBeLessThan(TIMEOUT + LOAD_TOLERANCE_MS);
  });

  test("a body that stalls: 408 and the connection closed", async () => {
    const body = JSON.stringify(turnBody());
    const { response, closedAfterMs } = await rawExchange(port, [
      `POST /botconnector/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nverify-token: ${TOKEN}\r\nContent-Length: ${body.length}\r\n\r\n`,
      body.slice(0, 20),
    ]);
    expect(response).toMatch(/^HTTP\/1\.1 408/);
    expect(closedAfterMs).toBeLessThan(TIMEOUT + LOAD_TOLERANCE_MS);
  });

  test("the service keeps answering others meanwhile", async () => {
    const stalled = rawExchange(port, ["POST /botconnector/messages HTTP/1.1\r\nHost: x\r\n"]);
    const ok = await svc.post(turnBody());
    expect(ok.status).toBe(200);
    await stalled;
  });
});
