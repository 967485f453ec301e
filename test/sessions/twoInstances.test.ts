/**
 * Two instances of the real service (in-process Fastify servers on 127.0.0.1), configured only through
 * the environment as ECS configures them (SESSION_STORE=dynamodb, SESSION_TABLE, AWS_REGION,
 * AWS_ENDPOINT_URL_DYNAMODB), sharing one dynalite table: concurrent turns of the same sessions arriving
 * at both, readiness, and the table becoming unreachable and coming back.
 */
import { ensureSessionTable } from "../../scripts/session-table-create";
import { DynamoSessionStore } from "../../service/src/sessions/dynamoStore";
import { Conversation, startService, type TestService } from "../service/harness";
import { eventually } from "../support/time";
import { clientConfig, localClient, type Proxy, type Restartable, startDynalite, startProxy } from "./localDynamo";

const TABLE = "sessions-two-instances";
// The largest budget: its store attempt timeouts (3 s) leave dynalite, in this jest worker, all the time a loaded
// machine needs, so no write is retried after it landed (that would come back as a conflict and a step twice).
const BUDGET = 60_000;

let db: Restartable;
let proxy: Proxy;
let a: TestService;
let b: TestService;
let reader: DynamoSessionStore;
const savedEnv = { ...process.env };

beforeAll(async () => {
  db = await startDynalite();
  const admin = localClient(db.endpoint);
  await ensureSessionTable(admin, TABLE);
  admin.destroy();
  proxy = await startProxy(db.port);
  Object.assign(process.env, {
    AWS_REGION: "us-east-1",
    AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
  });
  const env = { SESSION_STORE: "dynamodb", SESSION_TABLE: TABLE, TURN_BUDGET_MS: String(BUDGET) };
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
      // /readyz gives the store 1 s, which a loaded machine can miss once: ready is what it settles on.
      const res = await eventually(async () => {
        const r = await fetch(`${svc.url}/readyz`);
        return r.status === 200 && r;
      }, "readiness");
      expect(await res.json()).toMatchObject({ status: "ready", sessionStore: "dynamodb" });
    }
  });

  it("keep every step when turns of the same sessions arrive at both at once", async () => {
    const sessions = Array.from({ length: 6 }, () => new Conversation(a));
    await Promise.all(sessions.map((c) => c.say("")));
    // The same session's next two turns, one at each instance, concurrently, for all sessions together: the
    // table is held until all twelve have asked for their session, so both turns of a session read the same version.
    const onB = sessions.map((c) => new Conversation(b, { botSessionId: c.sessionId }));
    proxy.pause();
    const turns = Promise.all(sessions.flatMap((c, i) => [c.say("banana"), onB[i]!.say("kiwi")]));
    await eventually(() => proxy.held("GetItem") === 12, "twelve turns reading their session");
    proxy.resume();
    const answers = await turns;
    for (const answer of answers) expect(answer.botState).toBe("MoreData");
    for (const c of sessions) {
      const stored = await reader.load(c.sessionId);
      // welcome + two misses at the menu: neither concurrent turn was lost.
      expect(stored?.state.turns).toBe(3);
      expect(stored?.state.awaiting).toEqual({ node: "menu", attempts: 2 });
      expect(stored?.version).toBeGreaterThanOrEqual(3);
    }
    // The races really happened, one per session, and the conditional write turned the losers back to retry.
    expect((await metric(a, CONFLICTS)) + (await metric(b, CONFLICTS))).toBeGreaterThanOrEqual(sessions.length);
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
      const logged = a.logs.lines.length;
      const failed = await c.say("track");
      // The refused connections ended the turn, not its budget or the store's attempt timeouts.
      expect(failed.botState).toBe("Failed");
      expect((failed.errorInfo as { errorCode: string }).errorCode).toBe("SESSION_STORE_UNAVAILABLE");
      const failure = a.logs.lines.slice(logged).find((l) => l.msg === "session store load failed");
      expect((failure?.err as { message?: string } | undefined)?.message).toMatch(/ECONNREFUSED/);
    } finally {
      await proxy.start();
    }
    await eventually(async () => (await fetch(`${b.url}/readyz`)).status === 200, "readiness once the table is back");
    // The session written before the outage is intact and continues on the other instance.
    const onB = new Conversation(b, { botSessionId: c.sessionId });
    expect((await onB.say("track")).botState).toBe("MoreData");
    expect((await reader.load(c.sessionId))?.state.turns).toBe(2);
  });
});
