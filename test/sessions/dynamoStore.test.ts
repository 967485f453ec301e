/**
 * The DynamoDB session store through the real AWS SDK v3 against dynalite on 127.0.0.1.
 */
import { GetItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ensureSessionTable } from "../../scripts/session-table-create";
import { type SessionState } from "../../service/src/engine/state";
import { DynamoSessionStore, sdkTimeouts } from "../../service/src/sessions/dynamoStore";
import { SessionConflictError, SessionStoreUnavailableError } from "../../service/src/sessions/store";
import { SESSION_STORE_ACTIONS, SESSION_TABLE } from "../../service/src/sessions/tableSchema";
import { LOAD_TOLERANCE_MS, TIMER_SLACK_MS } from "../support/time";
import { clientConfig, localClient, type Restartable, startBlackHole, startDynalite, startProxy } from "./localDynamo";

const TABLE = "sessions-test";
const TTL = 4320 * 60;
/**
 * The largest turn budget (TURN_BUDGET_MS): its attempt timeouts (3 s) leave dynalite, which runs in this jest
 * worker, all the time a loaded machine needs. A timed-out write the SDK retries could otherwise land twice and
 * come back as a conflict. Tests about the timeouts set their own budget.
 */
const ROOMY_BUDGET_MS = 60_000;

function state(turns: number, extra: Partial<SessionState> = {}): SessionState {
  return { v: 1, botId: "acme", botVersion: "1", genesysConversationId: "conv-1", language: "en-us", params: {}, vars: {}, turns, ...extra };
}

let db: Restartable;
let admin: DynamoDBClient;
const stores: DynamoSessionStore[] = [];

function store(endpoint = db.endpoint, extra: { now?: () => number; turnBudgetMs?: number } = {}): DynamoSessionStore {
  const s = new DynamoSessionStore({ tableName: TABLE, turnBudgetMs: extra.turnBudgetMs ?? ROOMY_BUDGET_MS, clientConfig: clientConfig(endpoint), ...(extra.now ? { now: extra.now } : {}) });
  stores.push(s);
  return s;
}

let sequence = 0;
const newSessionId = () => `session-${Date.now()}-${++sequence}`;

beforeAll(async () => {
  db = await startDynalite();
  admin = localClient(db.endpoint);
  await ensureSessionTable(admin, TABLE);
});

afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

afterAll(async () => {
  admin.destroy();
  await db.stop();
});

describe("DynamoSessionStore", () => {
  it("reads nothing for an unknown session, then round-trips state with increasing versions", async () => {
    const s = store();
    const id = newSessionId();
    expect(await s.load(id)).toBeUndefined();
    expect(await s.save(id, state(1), { expectedVersion: undefined, ttlSeconds: TTL })).toBe(1);
    expect(await s.load(id)).toEqual({ state: state(1), version: 1 });
    expect(await s.save(id, state(2, { vars: { name: "Ada", age: 36, vip: true } }), { expectedVersion: 1, ttlSeconds: TTL })).toBe(2);
    expect(await s.load(id)).toEqual({ state: state(2, { vars: { name: "Ada", age: 36, vip: true } }), version: 2 });
  });

  it("writes conditionally: a second new session or a stale version is a conflict and changes nothing", async () => {
    const s = store();
    const id = newSessionId();
    await s.save(id, state(1), { expectedVersion: undefined, ttlSeconds: TTL });
    await expect(s.save(id, state(99), { expectedVersion: undefined, ttlSeconds: TTL })).rejects.toBeInstanceOf(SessionConflictError);
    await s.save(id, state(2), { expectedVersion: 1, ttlSeconds: TTL });
    await expect(s.save(id, state(99), { expectedVersion: 1, ttlSeconds: TTL })).rejects.toThrow(SessionConflictError);
    expect(await s.load(id)).toEqual({ state: state(2), version: 2 });
  });

  it("lets exactly one of two instances win when both answer a turn of the same session version", async () => {
    const [a, b] = [store(), store()];
    const id = newSessionId();
    await a.save(id, state(1), { expectedVersion: undefined, ttlSeconds: TTL });
    const [readA, readB] = await Promise.all([a.load(id), b.load(id)]);
    const results = await Promise.allSettled([
      a.save(id, state(2, { vars: { by: "a" } }), { expectedVersion: readA!.version, ttlSeconds: TTL }),
      b.save(id, state(2, { vars: { by: "b" } }), { expectedVersion: readB!.version, ttlSeconds: TTL }),
    ]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(SessionConflictError);
    const winner = results[0]!.status === "fulfilled" ? "a" : "b";
    expect((await a.load(id))!.state.vars).toEqual({ by: winner });
  });

  it("loses no update when two instances run many concurrent turns of the same sessions", async () => {
    const instances = [store(), store()];
    const sessions = [newSessionId(), newSessionId(), newSessionId()];
    const workersPerInstance = 3;
    const turnsPerWorker = 5;
    let conflicts = 0;
    // A turn: read, step (count one more turn), conditional write; on a lost race, retry on fresh state.
    const turn = async (s: DynamoSessionStore, id: string): Promise<void> => {
      for (let attempt = 0; attempt < 100; attempt++) {
        const current = await s.load(id);
        try {
          await s.save(id, state((current?.state.turns ?? 0) + 1), { expectedVersion: current?.version, ttlSeconds: TTL });
          return;
        } catch (error) {
          if (!(error instanceof SessionConflictError)) throw error;
          conflicts++;
        }
      }
      throw new Error("a turn kept losing races");
    };
    await Promise.all(
      sessions.flatMap((id) =>
        instances.flatMap((s) =>
          Array.from({ length: workersPerInstance }, async () => {
            for (let i = 0; i < turnsPerWorker; i++) await turn(s, id);
          }),
        ),
      ),
    );
    const expected = instances.length * workersPerInstance * turnsPerWorker;
    for (const id of sessions) {
      const stored = await instances[0]!.load(id);
      expect(stored?.state.turns).toBe(expected);
      expect(stored?.version).toBe(expected);
    }
    // Six writers per session: the conditional write must have turned races away, not absorbed them.
    expect(conflicts).toBeGreaterThan(0);
  });

  it("stores the expiry in the TTL attribute and treats an expired item as absent", async () => {
    let now = Date.UTC(2026, 0, 1, 12, 0, 0);
    const s = store(db.endpoint, { now: () => now });
    const id = newSessionId();
    await s.save(id, state(1), { expectedVersion: undefined, ttlSeconds: 600 });
    const raw = await admin.send(new GetItemCommand({ TableName: TABLE, Key: { [SESSION_TABLE.partitionKey]: { S: id } }, ConsistentRead: true }));
    expect(raw.Item?.[SESSION_TABLE.ttlAttribute]).toEqual({ N: String(now / 1000 + 600) });
    expect(raw.Item?.[SESSION_TABLE.versionAttribute]).toEqual({ N: "1" });
    expect(JSON.parse(raw.Item?.[SESSION_TABLE.stateAttribute]?.S ?? "null")).toEqual(state(1));

    now += 599_000;
    expect((await s.load(id))?.version).toBe(1);
    now += 1_000;
    // Past the expiry the item may linger (TTL deletes lazily), but it is gone for the store ...
    expect(await s.load(id)).toBeUndefined();
    // ... and a new session under the same id may replace it.
    expect(await s.save(id, state(1, { language: "fr-fr" }), { expectedVersion: undefined, ttlSeconds: 600 })).toBe(1);
    expect((await s.load(id))?.state.language).toBe("fr-fr");
  });

  it("deletes a session", async () => {
    const s = store();
    const id = newSessionId();
    await s.save(id, state(1), { expectedVersion: undefined, ttlSeconds: TTL });
    await s.delete(id);
    expect(await s.load(id)).toBeUndefined();
  });

  it("calls only the DynamoDB actions the task role is granted", async () => {
    const s = store();
    const called = new Set<string>();
    // The store's client is private; observe its commands through the SDK middleware stack.
    (s as unknown as { client: DynamoDBClient }).client.middlewareStack.add(
      (next, context) => (args) => {
        called.add(`dynamodb:${String(context.commandName).replace(/Command$/, "")}`);
        return next(args);
      },
      { step: "initialize" },
    );
    const id = newSessionId();
    await s.ping();
    await s.load(id);
    await s.save(id, state(1), { expectedVersion: undefined, ttlSeconds: TTL });
    await s.save(id, state(2), { expectedVersion: 1, ttlSeconds: TTL });
    await s.delete(id);
    expect([...called].sort()).toEqual([...SESSION_STORE_ACTIONS].sort());
  });

  it("reports a missing table as unavailable", async () => {
    const s = new DynamoSessionStore({ tableName: "no-such-table", turnBudgetMs: 5000, clientConfig: clientConfig(db.endpoint) });
    stores.push(s);
    await expect(s.ping()).rejects.toThrow(SessionStoreUnavailableError);
    await expect(s.load("x")).rejects.toThrow(/ResourceNotFoundException/);
  });
});

describe("DynamoSessionStore when the table becomes unreachable", () => {
  it("fails calls cleanly while cut off, without waiting out its timeouts, and serves the same sessions once back", async () => {
    const proxy = await startProxy(db.port);
    try {
      const s = store(proxy.endpoint);
      const id = newSessionId();
      await s.save(id, state(1), { expectedVersion: undefined, ttlSeconds: TTL });
      await s.ping();

      await proxy.stop();
      for (const attempt of [() => s.ping(), () => s.load(id), () => s.save(id, state(2), { expectedVersion: 1, ttlSeconds: TTL })]) {
        // Refused connections end the call (after the SDK's retries), not its 3 s attempt timeouts.
        const error = await attempt().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SessionStoreUnavailableError);
        expect((error as Error).message).toMatch(/ECONNREFUSED/);
      }

      await proxy.start();
      await s.ping();
      expect(await s.load(id)).toEqual({ state: state(1), version: 1 });
      expect(await s.save(id, state(2), { expectedVersion: 1, ttlSeconds: TTL })).toBe(2);
    } finally {
      await proxy.stop().catch(() => {});
    }
  });

  it("reports not ready while the server is down and ready again after it restarts on the same port", async () => {
    const own = await startDynalite();
    const ownAdmin = localClient(own.endpoint);
    try {
      await ensureSessionTable(ownAdmin, TABLE);
      const s = store(own.endpoint);
      await s.ping();
      await own.stop();
      await expect(s.ping()).rejects.toThrow(SessionStoreUnavailableError);
      await own.start();
      // dynalite keeps nothing across a restart: the table has to be created again, as in a fresh environment.
      await expect(s.ping()).rejects.toThrow(/ResourceNotFoundException/);
      await ensureSessionTable(ownAdmin, TABLE);
      await s.ping();
    } finally {
      ownAdmin.destroy();
      await own.stop().catch(() => {});
    }
  });
});

describe("DynamoSessionStore and the turn budget", () => {
  let hole: Restartable & { readonly connections: number };
  beforeAll(async () => {
    hole = await startBlackHole();
  });
  afterAll(async () => {
    await hole.stop();
  });

  it("gives up as soon as the turn's signal aborts, even mid-request", async () => {
    const s = store(hole.endpoint);
    const started = performance.now();
    // The signal, not the SDK's own 3 s attempt timeout, ended the call: the error says so.
    await expect(s.load("x", AbortSignal.timeout(150))).rejects.toThrow(/turn budget ran out/);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(150 - TIMER_SLACK_MS);
    expect(elapsed).toBeLessThan(150 + LOAD_TOLERANCE_MS);
    await expect(s.save("x", state(1), { expectedVersion: undefined, ttlSeconds: TTL, signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      SessionStoreUnavailableError,
    );
  });

  it("without a signal, ends a call that gets no answer after its sized attempts", async () => {
    const budget = 1800;
    const s = store(hole.endpoint, { turnBudgetMs: budget });
    const { maxAttempts, requestTimeoutMs } = sdkTimeouts(budget);
    const offered = hole.connections;
    const started = performance.now();
    const error = await s.ping().catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    // Each attempt timed out on its own connection; that the attempts and their back-off fit half the budget
    // follows from the sizing, checked in the next test.
    expect(error).toBeInstanceOf(SessionStoreUnavailableError);
    expect((error as Error).message).toMatch(new RegExp(`${requestTimeoutMs} ms requestTimeout`));
    expect(hole.connections - offered).toBe(maxAttempts);
    expect(elapsed).toBeGreaterThanOrEqual(maxAttempts * requestTimeoutMs - TIMER_SLACK_MS);
    expect(elapsed).toBeLessThan(budget / 2 + LOAD_TOLERANCE_MS);
  });

  it("sizes attempts so that a turn's two calls fit the budget", () => {
    for (const budget of [2000, 5000, 7000, 20_000, 60_000]) {
      const t = sdkTimeouts(budget);
      expect(2 * (t.maxAttempts * t.requestTimeoutMs + 600)).toBeLessThanOrEqual(budget);
      expect(t.connectionTimeoutMs).toBeLessThanOrEqual(t.requestTimeoutMs);
    }
    expect(sdkTimeouts(5000)).toEqual({ maxAttempts: 3, connectionTimeoutMs: 633, requestTimeoutMs: 633 });
    expect(() => sdkTimeouts(0)).toThrow(/positive/);
  });
});
