import http from "node:http";
import { turnRequestBody, TurnStream } from "../../bench/conversations";
import { ensureSessionTable } from "../../scripts/session-table-create";
import { localClient, type Proxy, type Restartable, startBlackHole, startDynalite, startProxy } from "../sessions/localDynamo";
import { eventually, LOAD_TOLERANCE_MS } from "../support/time";
import { postTurn, PROCESS_TOKEN, type ServiceProcess, startServiceProcess } from "./serviceProcess";

/** The budget of the service whose store never answers: every one of its turns runs into it. */
const BUDGET = 1000;
/**
 * The largest budget, for services whose turns must succeed: its store attempt timeouts (3 s) leave dynalite, in
 * the jest worker, all the time a loaded machine needs.
 */
const ROOMY_BUDGET = 60_000;
const TABLE = "fault-sessions";

function dynamoEnv(endpoint: string, budget = ROOMY_BUDGET): Record<string, string> {
  return {
    SESSION_STORE: "dynamodb",
    SESSION_TABLE: TABLE,
    AWS_REGION: "us-east-1",
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    TURN_BUDGET_MS: String(budget),
  };
}

const isReady = async (svc: ServiceProcess) => (await fetch(svc.url + "/readyz")).status === 200;

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
    [svc, slow] = await Promise.all([startServiceProcess(dynamoEnv(proxy.endpoint)), startServiceProcess(dynamoEnv(hole.endpoint, BUDGET))]);
  });

  afterAll(async () => {
    await Promise.all([svc?.stop(), slow?.stop()]);
    await Promise.all([proxy?.stop(), hole?.stop()]);
    await db?.stop();
  });

  test("a store that never answers: Failed within the budget (plus the stated tolerance); the process stays up", async () => {
    for (let i = 0; i < 3; i++) {
      const res = await timedTurn(slow.url, `slow-${i}`);
      expect(res.status).toBe(200);
      // The store's own per-call timeouts may give up first (they are sized to fit the budget).
      expect(res.body.botState).toBe("Failed");
      expect(["SESSION_STORE_UNAVAILABLE", "TURN_BUDGET_EXCEEDED"]).toContain((res.body.errorInfo as { errorCode: string }).errorCode);
      expect(res.ms).toBeLessThan(BUDGET + LOAD_TOLERANCE_MS);
    }
    expect((await fetch(slow.url + "/healthz")).status).toBe(200);
  });

  test("the store down: Failed at once, /readyz 503; back: the same sessions continue", async () => {
    const first = await timedTurn(svc.url, "outage-1");
    expect(first.body.botState).toBe("MoreData");
    await proxy.stop();
    const during = await timedTurn(svc.url, "outage-1", "track");
    // Refused connections end the turn as the store's failure, long before the 60 s budget.
    expect(during.body).toMatchObject({ botState: "Failed", errorInfo: { errorCode: "SESSION_STORE_UNAVAILABLE" } });
    // (The process writes its log at least every second.)
    const failure = await eventually(() => svc.output().split("\n").find((line) => line.includes('"msg":"session store load failed"')), "the failure in the log");
    expect(failure).toMatch(/ECONNREFUSED/);
    expect((await fetch(svc.url + "/readyz")).status).toBe(503);
    await proxy.start();
    await eventually(() => isReady(svc), "readiness once the store is back");
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
  test("every turn in flight when the signal comes is answered, new ones are refused, and the process exits 0", async () => {
    const db = await startDynalite();
    await ensureSessionTable(localClient(db.endpoint), TABLE);
    const proxy: Proxy = await startProxy(db.port);
    const svc = await startServiceProcess(dynamoEnv(proxy.endpoint));
    try {
      // Load first: 16 connections walking sessions, 64 turns in all.
      let answered = 0;
      await Promise.all(
        Array.from({ length: 16 }, async (_, n) => {
          const stream = new TurnStream(`load-${n}`);
          while (answered < 64) {
            const turn = stream.next();
            const r = await postOnNewConnection(svc.url, turnRequestBody(turn.sessionId, turn.text));
            expect(r.status).toBe(200);
            answered++;
          }
        }),
      );

      // Then a burst that is inside the service (counted by its in-flight gauge) when SIGTERM arrives: the store
      // is held (a stalled network) until then, so none of them can finish early.
      proxy.pause();
      const burst = Array.from({ length: 24 }, (_, n) => postOnNewConnection(svc.url, turnRequestBody(`burst-${n}`, "")));
      await eventually(async () => (await turnsInFlight(svc.url)) === burst.length, "the whole burst in flight");
      const stopped = svc.stop();
      await eventually(() => svc.output().includes("stopping: no new turns"), "the service to begin stopping");
      const late = await eventually(async () => {
        const r = await postOnNewConnection(svc.url, turnRequestBody("late", ""));
        // A connection that arrives while the listener is closing is answered 503 or reset; the next is refused.
        return r.status === 503 || r.error === "ECONNRESET" ? undefined : r;
      }, "new connections to be refused");
      proxy.resume();
      const answers = await Promise.all(burst);
      const { code } = await stopped;

      expect(answers).toEqual(burst.map(() => ({ status: 200 })));
      expect(late).toEqual({ error: "ECONNREFUSED" });
      // Not the 1 of the shutdown deadline (9 s, within ECS's stopTimeout) that forces an exit.
      expect(code).toBe(0);
    } finally {
      await svc.stop();
      await proxy.stop();
      await db.stop();
    }
  });
});
