/**
 * The circuit breaker: its states on a fake clock, then over HTTP with the orders agent (3 failures open it for
 * 1 s, on a clock the test moves): it opens, refuses calls without reaching the agent, lets one trial call through,
 * and closes or reopens.
 */
import { CircuitBreaker, type CircuitState } from "../../service/src/upstream/breaker";
import { UNHURRIED_MS } from "../support/time";
import { atOrdersAgent, metricsText, startUpstreamSetup, type UpstreamSetup } from "./harness";

/** The orders agent's openSeconds (test/fixtures/bots/acme-orders.yaml). */
const OPEN_MS = 1000;

describe("CircuitBreaker", () => {
  function breaker(threshold = 3, openMs = 1000) {
    let now = 0;
    const transitions: CircuitState[] = [];
    const b = new CircuitBreaker({ failureThreshold: threshold, openMs, now: () => now, onTransition: (to) => transitions.push(to) });
    return { b, transitions, advance: (ms: number) => (now += ms) };
  }

  test("closed until the threshold of consecutive failures; a success resets the count", () => {
    const { b, transitions } = breaker();
    for (const outcome of ["failure", "failure", "success", "failure", "failure"] as const) {
      expect(b.tryAcquire()).toBe(true);
      b[outcome]();
    }
    expect(b.state).toBe("closed");
    expect(b.tryAcquire()).toBe(true);
    b.failure();
    expect(b.state).toBe("open");
    expect(transitions).toEqual(["open"]);
  });

  test("open refuses calls until openMs has passed, then lets exactly one trial through", () => {
    const { b, advance, transitions } = breaker(1, 1000);
    b.tryAcquire();
    b.failure();
    expect(b.tryAcquire()).toBe(false);
    advance(999);
    expect(b.tryAcquire()).toBe(false);
    advance(1);
    expect(b.tryAcquire()).toBe(true);
    expect(b.state).toBe("half-open");
    expect(b.tryAcquire()).toBe(false);
    b.success();
    expect(b.state).toBe("closed");
    expect(b.tryAcquire()).toBe(true);
    expect(transitions).toEqual(["open", "half-open", "closed"]);
  });

  test("a failed trial opens it again for another openMs", () => {
    const { b, advance } = breaker(1, 1000);
    b.tryAcquire();
    b.failure();
    advance(1000);
    expect(b.tryAcquire()).toBe(true);
    b.failure();
    expect(b.state).toBe("open");
    advance(500);
    expect(b.tryAcquire()).toBe(false);
    advance(500);
    expect(b.tryAcquire()).toBe(true);
  });

  test("a released trial (cut short by the turn) lets the next call try, without judging the agent", () => {
    const { b, advance } = breaker(1, 1000);
    b.tryAcquire();
    b.failure();
    advance(1000);
    expect(b.tryAcquire()).toBe(true);
    b.release();
    expect(b.state).toBe("half-open");
    expect(b.tryAcquire()).toBe(true);
  });
});

describe("the breaker over HTTP (orders agent: 3 failures, open 1 s)", () => {
  let setup: UpstreamSetup;
  let clock = 0;
  beforeAll(async () => {
    setup = await startUpstreamSetup({ TURN_BUDGET_MS: String(UNHURRIED_MS) }, { breakerClock: () => clock });
  });
  afterAll(() => setup.close());

  const state = () => setup.svc.service.upstreams?.circuitState("acme-orders/orders");
  /** A conversation reaching the agent: one agent call (a failing one follows the node's onFailure path). */
  const enterAgent = async () => (await atOrdersAgent(setup.svc)).greeting;

  test("opens after 3 failures, refuses without calling, half-opens after openSeconds, closes on a successful trial", async () => {
    setup.orders.fallback = { kind: "status", status: 500 };
    for (let i = 0; i < 2; i++) {
      expect(await enterAgent()).toMatchObject({ intent: "AgentRequested", parameters: { handoverReason: "the orders agent is unavailable" } });
    }
    expect(state()).toBe("closed");
    await enterAgent();
    expect(state()).toBe("open");
    const callsWhenOpen = setup.orders.calls.length;

    clock += OPEN_MS - 1;
    expect(await enterAgent()).toMatchObject({ botState: "Complete", intent: "AgentRequested" });
    expect(setup.orders.calls).toHaveLength(callsWhenOpen);
    let metrics = await metricsText(setup.svc);
    expect(metrics).toMatch(/botconnector_upstream_calls_total\{upstream="acme-orders\/orders",outcome="circuit_open"\} 1/);
    expect(metrics).toMatch(/botconnector_upstream_circuit_state\{upstream="acme-orders\/orders"\} 1/);

    clock += 1;
    setup.orders.fallback = { kind: "reply", reply: () => ({ action: "continue", messages: [{ text: "I'm back" }] }) };
    expect(await enterAgent()).toMatchObject({ botState: "MoreData" });
    expect(setup.orders.calls).toHaveLength(callsWhenOpen + 1);
    expect(state()).toBe("closed");
    metrics = await metricsText(setup.svc);
    expect(metrics).toMatch(/botconnector_upstream_circuit_transitions_total\{upstream="acme-orders\/orders",to="open"\} 1/);
    expect(metrics).toMatch(/botconnector_upstream_circuit_transitions_total\{upstream="acme-orders\/orders",to="half-open"\} 1/);
    expect(metrics).toMatch(/botconnector_upstream_circuit_transitions_total\{upstream="acme-orders\/orders",to="closed"\} 1/);
    expect(metrics).toMatch(/botconnector_upstream_circuit_state\{upstream="acme-orders\/orders"\} 0/);
  });

  test("a failed trial opens it again", async () => {
    setup.orders.fallback = { kind: "status", status: 503 };
    for (let i = 0; i < 3; i++) await enterAgent();
    expect(state()).toBe("open");
    clock += OPEN_MS;
    const calls = setup.orders.calls.length;
    await enterAgent();
    // The trial (a 503, retried once: two attempts) failed: open again, and the next turn does not reach the agent.
    expect(setup.orders.calls).toHaveLength(calls + 2);
    expect(state()).toBe("open");
    await enterAgent();
    expect(setup.orders.calls).toHaveLength(calls + 2);
  });
});

describe("a time-out cut short by the turn budget", () => {
  let setup: UpstreamSetup;
  beforeAll(async () => {
    // 300 ms budget: the orders agent's 2 s timeout never fits, every time-out is the budget's.
    setup = await startUpstreamSetup({ TURN_BUDGET_MS: "300" });
  });
  afterAll(() => setup.close());

  test("does not count against the agent: the circuit stays closed", async () => {
    setup.orders.fallback = { kind: "hang" };
    // More budget-cut calls than the threshold (3). On a loaded machine a turn may spend its budget before the
    // call (then it never reaches the agent): such turns do not count, the next one tries again.
    for (let turns = 0; setup.orders.calls.length < 4; turns++) {
      expect(turns).toBeLessThan(40);
      const { greeting } = await atOrdersAgent(setup.svc);
      expect(greeting).toMatchObject({ botState: expect.stringMatching(/^(Complete|Failed)$/) });
    }
    expect(setup.svc.service.upstreams?.circuitState("acme-orders/orders")).toBe("closed");
    // Every call that reached the agent timed out (a call cut before its request got out counts too).
    const timeouts = /botconnector_upstream_calls_total\{upstream="acme-orders\/orders",outcome="timeout"\} (\d+)/.exec(await metricsText(setup.svc));
    expect(Number(timeouts?.[1])).toBeGreaterThanOrEqual(setup.orders.calls.length);
  });
});
