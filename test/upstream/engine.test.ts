/**
 * The engine's side of upstream agents, without I/O: it asks for a call (beginTurn) and goes on with the outcome
 * it is given; the protocol rules every turn keeps still hold.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { type BotDefinition } from "../../service/src/bots/definition";
import { parseBotDefinition } from "../../service/src/bots/load";
import { beginTurn, runTurn, type UpstreamCall } from "../../service/src/engine/engine";
import { type UpstreamOutcome } from "../../service/src/upstream/contract";
import { runnable } from "../bots/fixtures";
import { expectValidOutcome, NOW, turnRequest } from "../engine/chat";
import { UPSTREAM_BOTS } from "./harness";

const direct = runnable(parseBotDefinition(readFileSync(path.join(UPSTREAM_BOTS, "acme-direct.yaml"), "utf8"), "acme-direct.yaml"));
const request = (text: string, overrides = {}) => turnRequest({ kind: "text", text }, { chatBotId: "acme-direct", botId: "Acme Direct", ...overrides });

/** Answers every call with `reply` checked the way the client checks it. */
function answering(reply: unknown, calls: UpstreamCall[] = []) {
  return (call: UpstreamCall): UpstreamOutcome => {
    calls.push(call);
    const checked = call.check(reply);
    return checked.ok ? { ok: true, reply: checked.reply } : { ok: false, errorCode: "UPSTREAM_INVALID_RESPONSE", errorMessage: checked.problems.join("; ") };
  };
}

describe("the engine and upstream agents", () => {
  test("continue: MoreData, the agent's node waits, its buttons carry the node's tag", () => {
    const out = runTurn(direct, undefined, request("hi"), {
      now: NOW,
      upstream: answering({ action: "continue", messages: [{ text: "Hello", quickReplies: [{ label: "Yes", payload: "y" }] }] }),
    });
    expectValidOutcome(direct, out);
    expect(out.state.awaiting).toEqual({ node: "assistant", attempts: 0 });
    expect(out.event).toBe("started");
  });

  test("complete and handover keep every protocol rule", () => {
    for (const reply of [
      { action: "complete", intent: "OrderStatus", slots: { itemCount: 3 } },
      { action: "handover", intent: "AgentRequested", reason: "r" },
      { action: "handover", reason: "r" },
    ]) {
      const out = runTurn(direct, undefined, request("hi"), { now: NOW, upstream: answering(reply) });
      expectValidOutcome(direct, out);
    }
  });

  test("without a caller the node fails as unreachable", () => {
    const out = runTurn(direct, undefined, request("hi"), { now: NOW });
    expectValidOutcome(direct, out);
    expect(out.response.errorInfo).toEqual({ errorCode: "UPSTREAM_UNREACHABLE", errorMessage: 'no caller for upstream "assistant"' });
    expect(out.event).toBe("upstream-failed");
  });

  test("the request id is stable for the same logical call and changes with the input or the turn", () => {
    const ids = (text: string, state?: Parameters<typeof beginTurn>[1]) => {
      const step = beginTurn(direct, state, request(text), { now: NOW });
      if (step.kind !== "upstream") throw new Error("expected an upstream call");
      return step.call.request.requestId;
    };
    expect(ids("hi")).toBe(ids("hi"));
    expect(ids("hi")).not.toBe(ids("hello"));
    const later = runTurn(direct, undefined, request("hi"), { now: NOW, upstream: answering({ action: "continue", messages: [{ text: "?" }] }) }).state;
    expect(ids("hi", later)).not.toBe(ids("hi"));
  });

  test("a step resumes once", () => {
    const step = beginTurn(direct, undefined, request("hi"), { now: NOW });
    if (step.kind !== "upstream") throw new Error("expected an upstream call");
    step.resume({ ok: false, errorCode: "UPSTREAM_TIMEOUT", errorMessage: "slow" });
    expect(() => step.resume({ ok: false, errorCode: "UPSTREAM_TIMEOUT", errorMessage: "slow" })).toThrow(/only once/);
  });

  test("agents that keep returning control are stopped after 3 calls in one turn (a guard; definitions forbid such loops)", () => {
    const looping: BotDefinition = {
      ...direct.definition,
      start: "a",
      nodes: { a: { upstream: { agent: "assistant" }, next: "b" }, b: { upstream: { agent: "assistant" }, next: "a" } },
    };
    const calls: UpstreamCall[] = [];
    const out = runTurn(runnable(looping), undefined, request("hi"), { now: NOW, upstream: answering({ action: "return" }, calls) });
    expect(calls).toHaveLength(3);
    expect(out.response.errorInfo).toEqual({ errorCode: "ENGINE_LOOP", errorMessage: "more than 3 upstream calls in one turn" });
  });

  test("a transcript is kept only when asked for, bounded in turns and text length", () => {
    const upstream = answering({ action: "continue", messages: [{ text: "a".repeat(50) }] });
    let state = runTurn(direct, undefined, request("first"), { now: NOW, upstream }).state;
    expect(state.transcript).toBeUndefined();
    const transcript = { turns: 2, textChars: 10 };
    for (const text of ["one", "two", "a very long customer message"]) state = runTurn(direct, state, request(text), { now: NOW, upstream, transcript }).state;
    expect(state.transcript).toEqual([
      { customer: "two", bot: ["aaaaaaaaa…"] },
      { customer: "a very lo…", bot: ["aaaaaaaaa…"] },
    ]);
    // Switched off again: the session forgets it.
    state = runTurn(direct, state, request("four"), { now: NOW, upstream }).state;
    expect(state.transcript).toBeUndefined();
  });
});
