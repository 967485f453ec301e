import http from "node:http";
import { turnRequestBody, TurnStream } from "../../bench/conversations";
import { ensureSessionTable } from "../../scripts/session-table-create";
import { localClient, type Restartable, startBlackHole, startDynalite, startProxy } from "../sessions/localDynamo";
import { postTurn, PROCESS_TOKEN, type ServiceProcess, startServiceProcess } from "./serviceProcess";

const BUDGET = 1000;
/** The stated tolerance: a Failed answer comes at most this long after the budget, on a loaded CI machine. */
const TOLERANCE = 250;
const TABLE = "fault-sessions";

function dynamoEnv(endpoint: string): Record<string, string> {
  return {
    SESSION_STORE: "dynamodb",
    SESSION_TABLE: TABLE,
    AWS_REGION: "us-east-1",
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    TURN_BUDGET_MS: String(BUDGET),
  };
}

async function timedTurn(url: string, sessionId: string, text = "") {
  const started = performance.now();
  const res = await postTurn(url, turnRequestBody(sessionId, text));
  return { ...res, ms: performance.now() - started };
}

describe("faults: the store unavailable, slow, and back", () => {
  let db: Restartable;
  let proxy: Restartable;
  let hole: Restartable;
  let svc: ServiceProcess;
  let slow: ServiceProcess;

  beforeAll(async () => {
    db = await startDynalite();
    await ensureSessionTable(localClient(db.endpoint), TABLE);
    proxy = await startProxy(db.port);
    hole = await startBlackHole();
    [svc, slow] = await Promise.all([startServiceProcess(dynamoEnv(proxy.endpoint)), startServiceProcess(dynamoEnv(hole.endpoint))]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([svc?.stop(), slow?.stop()]);
    await Promise.all([proxy?.stop(), hole?.stop()]);
    await db?.stop();
  });

  test("a store that never answers: Failed within the budget plus the tolerance; the process stays up", async () => {
    for (let i = 0; i < 3; i++) {
      const res = await timedTurn(slow.url, `slow-${i}`);
      expect(res.status).toBe(200);
      // The store's own per-call timeouts may give up first (they are sized to fit the budget).
      expect(res.body.botState).toBe("Failed");
      expect(["SESSION_STORE_UNAVAILABLE", "TURN_BUDGET_EXCEEDED"]).toContain((res.body.errorInfo as { errorCode: string }).errorCode);
      expect(res.ms).toBeLessThan(BUDGET + TOLERANCE);
    }
    expect((await fetch(slow.url + "/healthz")).status).toBe(200);
  });

  test("the store down: Failed in time, /readyz 503; back: the same sessions continue", async () => {
    const first = await timedTurn(svc.url, "outage-1");
    expect(first.body.botState).toBe("MoreData");
    await proxy.stop();
    const during = await timedTurn(svc.url, "outage-1", "track");
    expect(during.body.botState).toBe("Failed");
    expect(["SESSION_STORE_UNAVAILABLE", "TURN_BUDGET_EXCEEDED"]).toContain((during.body.errorInfo as { errorCode: string }).errorCode);
    expect(during.ms).toBeLessThan(BUDGET + TOLERANCE);
    expect((await fetch(svc.url + "/readyz")).status).toBe(503);
    await proxy.start();
    for (let i = 0; i < 50 && (await fetch(svc.url + "/readyz")).status !== 200; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await fetch(svc.url + "/readyz")).status).toBe(200);
    const after = await timedTurn(svc.url, "outage-1", "track");
    expect(after.body.replymessages).toEqual([{ type: "Text", text: "What's your order number? It looks like A-12345." }]);
  });
});

/** One POST on a connection of its own, so "not accepted" (refused) and "dropped" (reset) are told apart. */
function postOnNewConnection(url: string, body: string): Promise<{ status?: number; error?: string }> {
  return new Promise((resolve) => {
    const req = http.request(url + "/botconnector/messages", {
      method: "POST",
      agent: false,
      headers: { "content-type": "application/json", "verify-token": PROCESS_TOKEN, connection: "close", "content-length": Buffer.byteLength(body) },
    });
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode }));
    });
    req.on("error", (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    req.end(body);
  });
}

async function turnsInFlight(url: string): Promise<number> {
  const text = await (await fetch(url + "/metrics")).text();
  return Number(/^botconnector_turns_in_flight (\d+)/m.exec(text)?.[1] ?? NaN);
}

describe("SIGTERM under load", () => {
  test("every turn in flight when the signal comes is answered, new ones are refused, and the process exits 0 within 10 s", async () => {
    const db = await startDynalite();
    await ensureSessionTable(localClient(db.endpoint), TABLE);
    // 300 ms each way to the store: turns stay in flight long enough to be caught by the signal,
    // even on a loaded machine.
    const proxy = await startProxy(db.port, 300);
    const svc = await startServiceProcess({ ...dynamoEnv(proxy.endpoint), TURN_BUDGET_MS: "5000" });
    try {
      // Load first: sessions walked by 16 connections for a while.
      let loading = true;
      const load = Array.from({ length: 16 }, async (_, n) => {
        const stream = new TurnStream(`load-${n}`);
        let answered = 0;
        while (loading) {
          const turn = stream.next();
          const r = await postOnNewConnection(svc.url, turnRequestBody(turn.sessionId, turn.text));
          expect(r.status).toBe(200);
          answered++;
        }
        return answered;
      });
      await new Promise((r) => setTimeout(r, 2_000));
      loading = false;
      expect((await Promise.all(load)).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(16);

      // Then a burst that is inside the service (counted by its in-flight gauge) when SIGTERM arrives.
      const burst = Array.from({ length: 24 }, (_, n) => postOnNewConnection(svc.url, turnRequestBody(`burst-${n}`, "")));
      for (let i = 0; i < 2_000 && (await turnsInFlight(svc.url)) < burst.length; i++) await new Promise((r) => setTimeout(r, 5));
      expect(await turnsInFlight(svc.url)).toBe(burst.length);
      const stopped = svc.stop();
      for (let i = 0; i < 400 && !svc.output().includes("stopping: no new turns"); i++) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, 50));
      const late = await postOnNewConnection(svc.url, turnRequestBody("late", ""));
      const answers = await Promise.all(burst);
      const { code, ms } = await stopped;

      expect(answers).toEqual(burst.map(() => ({ status: 200 })));
      expect(late).toEqual({ error: "ECONNREFUSED" });
      expect(code).toBe(0);
      expect(ms).toBeLessThan(10_000);
    } finally {
      await svc.stop();
      await proxy.stop();
      await db.stop();
    }
  }, 60_000);
});
