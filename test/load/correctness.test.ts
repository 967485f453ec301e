import { SCRIPTS, turnRequestBody } from "../../bench/conversations";
import { ensureSessionTable } from "../../scripts/session-table-create";
import { localClient, startDynalite, type Restartable } from "../sessions/localDynamo";
import { postTurn, type ServiceProcess, startServiceProcess } from "./serviceProcess";

const SESSIONS_PER_SCRIPT = 16;

type Transcript = Array<Record<string, unknown>>;

async function runSession(instances: ServiceProcess[], sessionId: string, script: readonly string[], offset: number): Promise<Transcript> {
  const transcript: Transcript = [];
  for (const [i, text] of script.entries()) {
    // Consecutive turns of one session land on different processes, as behind a load balancer.
    const instance = instances[(i + offset) % instances.length] as ServiceProcess;
    const res = await postTurn(instance.url, turnRequestBody(sessionId, text));
    expect(res.status).toBe(200);
    transcript.push(res.body);
  }
  return transcript;
}

/**
 * Many sessions, many turns each, concurrently, through two service processes sharing one
 * DynamoDB-compatible table: each transcript must equal what a one-at-a-time run produces.
 */
describe("correctness under concurrent load", () => {
  let db: Restartable;
  let a: ServiceProcess;
  let b: ServiceProcess;

  beforeAll(async () => {
    db = await startDynalite();
    await ensureSessionTable(localClient(db.endpoint), "load-sessions");
    const env = {
      SESSION_STORE: "dynamodb",
      SESSION_TABLE: "load-sessions",
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      // The largest budget: its store attempt timeouts (3 s) leave dynalite, in the jest worker, all the time a
      // loaded machine needs, so no write is retried after it landed (a step twice would change a transcript).
      TURN_BUDGET_MS: "60000",
    };
    [a, b] = await Promise.all([startServiceProcess(env), startServiceProcess(env)]);
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.stop();
  });

  test("every session's transcript equals the sequential run's", async () => {
    const expected: Transcript[] = [];
    for (const [n, script] of SCRIPTS.entries()) expected.push(await runSession([a], `sequential-${n}`, script, 0));

    const runs: Array<Promise<{ script: number; transcript: Transcript }>> = [];
    for (let copy = 0; copy < SESSIONS_PER_SCRIPT; copy++) {
      for (const [n, script] of SCRIPTS.entries()) {
        runs.push(runSession([a, b], `concurrent-${n}-${copy}`, script, copy).then((transcript) => ({ script: n, transcript })));
      }
    }
    const results = await Promise.all(runs);
    expect(results).toHaveLength(SCRIPTS.length * SESSIONS_PER_SCRIPT);
    for (const { script, transcript } of results) expect(transcript).toEqual(expected[script]);
    const turns = results.reduce((sum, r) => sum + r.transcript.length, 0);
    expect(turns).toBeGreaterThan(400);
    // Both processes did real work.
    for (const instance of [a, b]) {
      const metrics = await (await fetch(instance.url + "/metrics")).text();
      const served = [...metrics.matchAll(/^botconnector_turns_total\{[^}]*\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
      expect(served).toBeGreaterThan(100);
    }
  });
});
