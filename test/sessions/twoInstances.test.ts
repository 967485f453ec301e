/**
 * Two instances of the real service (in-process Fastify servers on 127.0.0.1), configured only through
 * the environment as ECS configures them (SESSION_STORE=dynamodb, SESSION_TABLE, AWS_REGION,
 * AWS_ENDPOINT_URL_DYNAMODB), sharing one dynalite table: concurrent turns of the same sessions arriving
 * at both, readiness, and the table becoming unreachable and coming back.
 */
import { ensureSessionTable } from "../../scripts/session-table-create";
import { DynamoSessionStore } from "../../service/src/sessions/dynamoStore";
import { Conversation, startService, type TestService } from "../service/harness";
import { clientConfig, localClient, type Restartable, startDynalite, startProxy } from "./localDynamo";

const TABLE = "sessions-two-instances";
// Each request to the table is held this long, so both instances read a session before either writes it.
const NETWORK_DELAY_MS = 25;

let db: Restartable;
let proxy: Restartable;
let a: TestService;
let b: TestService;
let reader: DynamoSessionStore;
const savedEnv = { ...process.env };

beforeAll(async () => {
  db = await startDynalite();
  const admin = localClient(db.endpoint);
  await ensureSessionTable(admin, TABLE);
  admin.destroy();
  proxy = await startProxy(db.port, NETWORK_DELAY_MS);
  Object.assign(process.env, {
    AWS_REGION: "us-east-1",
    AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
  });
  const env = { SESSION_STORE: "dynamodb", SESSION_TABLE: TABLE, TURN_BUDGET_MS: "3000" };
  [a, b] = await Promise.all([startService(env), startService(env)]);
  reader = new DynamoSessionStore({ tableName: TABLE, turnBudgetMs: 5000, clientConfig: clientConfig(db.endpoint) });
});

afterAll(async () => {
  process.env = savedEnv;
  await Promise.all([a?.close(), b?.close(), reader?.close()]);
  await proxy?.stop().catch(() => {});
  await db?.stop();
});

async function metric(svc: TestService, pattern: RegExp): Promise<number> {
  const text = await (await fetch(`${svc.url}/metrics`)).text();
  return Number(pattern.exec(text)?.[1] ?? 0);
}

const CONFLICTS = /botconnector_session_store_errors_total\{operation="save",kind="conflict"\} (\d+)/;

describe("two service instances sharing one DynamoDB table", () => {
  it("use the DynamoDB store and report ready", async () => {
    for (const svc of [a, b]) {
      expect(svc.service.store.kind).toBe("dynamodb");
      const res = await fetch(`${svc.url}/readyz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: "ready", sessionStore: "dynamodb" });
    }
  });

  it("keep every step when turns of the same sessions arrive at both at once", async () => {
    const sessions = Array.from({ length: 6 }, () => new Conversation(a));
    await Promise.all(sessions.map((c) => c.say("")));
    // The same session's next two turns, one at each instance, concurrently, for all sessions together.
    const onB = sessions.map((c) => new Conversation(b, { botSessionId: c.sessionId }));
    const answers = await Promise.all(sessions.flatMap((c, i) => [c.say("banana"), onB[i]!.say("kiwi")]));
    for (const answer of answers) expect(answer.botState).toBe("MoreData");
    for (const c of sessions) {
      const stored = await reader.load(c.sessionId);
      // welcome + two misses at the menu: neither concurrent turn was lost.
      expect(stored?.state.turns).toBe(3);
      expect(stored?.state.awaiting).toEqual({ node: "menu", attempts: 2 });
      expect(stored?.version).toBeGreaterThanOrEqual(3);
    }
    // The races really happened, and the conditional write turned the losers back to retry.
    expect((await metric(a, CONFLICTS)) + (await metric(b, CONFLICTS))).toBeGreaterThan(0);
  });

  it("report not ready and fail turns cleanly while the table is unreachable, and recover when it is back", async () => {
    const c = new Conversation(a);
    await c.say("");
    await proxy.stop();
    try {
      for (const svc of [a, b]) {
        const res = await fetch(`${svc.url}/readyz`);
        expect(res.status).toBe(503);
        expect(await res.json()).toMatchObject({ error: "not_ready", message: "session store (dynamodb) unreachable" });
      }
      const started = Date.now();
      const failed = await c.say("track");
      expect(Date.now() - started).toBeLessThan(3000);
      expect(failed.botState).toBe("Failed");
      expect((failed.errorInfo as { errorCode: string }).errorCode).toBe("SESSION_STORE_UNAVAILABLE");
    } finally {
      await proxy.start();
    }
    expect((await fetch(`${b.url}/readyz`)).status).toBe(200);
    // The session written before the outage is intact and continues on the other instance.
    const onB = new Conversation(b, { botSessionId: c.sessionId });
    expect((await onB.say("track")).botState).toBe("MoreData");
    expect((await reader.load(c.sessionId))?.state.turns).toBe(2);
  });
});
