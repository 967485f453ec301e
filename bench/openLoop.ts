import http from "node:http";
import { turnRequestBody, TurnStream } from "./conversations";

export interface OpenLoopOptions {
  url: string;
  token: string;
  /** Keep-alive connections, one per simulated customer. */
  connections: number;
  /** Turns per second offered, whatever the latency. */
  rate: number;
  durationMs: number;
  label: string;
}

export interface OpenLoopResult {
  sent: number;
  completed: number;
  errors: number;
  /** Turns per second completed. */
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/**
 * Offers turns at a fixed rate over a fixed number of keep-alive connections (one customer each) and
 * measures latency from the moment each turn was due, not from when a connection was free, so a slow
 * server cannot hide its queueing (no coordinated omission). autocannon's own fixed-rate mode spreads
 * the rate over per-connection timers that fire in bursts at high connection counts, which is why
 * this small generator exists.
 */
export async function openLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const target = new URL(options.url + "/botconnector/messages");
  const idle: number[] = Array.from({ length: options.connections }, (_, i) => i);
  const streams = Array.from({ length: options.connections }, (_, i) => new TurnStream(`${options.label}-${process.pid}-${i}`));
  const backlog: number[] = [];
  const latencies: number[] = [];
  let sent = 0;
  let errors = 0;
  let inFlight = 0;

  const send = (slot: number, dueAt: number) => {
    const turn = (streams[slot] as TurnStream).next();
    const body = turnRequestBody(turn.sessionId, turn.text);
    inFlight++;
    const req = http.request(target, {
      method: "POST",
      agent,
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), "verify-token": options.token },
    });
    const done = (ok: boolean) => {
      inFlight--;
      if (ok) latencies.push(performance.now() - dueAt);
      else errors++;
      const next = backlog.shift();
      if (next !== undefined) send(slot, next);
      else idle.push(slot);
    };
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => done(res.statusCode === 200));
    });
    req.on("error", () => done(false));
    req.end(body);
  };

  const started = performance.now();
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      const elapsed = now - started;
      const due = Math.min(Math.floor((elapsed / 1000) * options.rate), Math.floor((options.durationMs / 1000) * options.rate));
      while (sent < due) {
        const dueAt = started + (sent / options.rate) * 1000;
        sent++;
        const slot = idle.pop();
        if (slot === undefined) backlog.push(dueAt);
        else send(slot, dueAt);
      }
      if (elapsed >= options.durationMs && backlog.length === 0 && inFlight === 0) resolve();
      // A 1 ms timer rather than a spin: the generator must not take the core the server runs on.
      else setTimeout(tick, 1);
    };
    tick();
  });
  const wall = performance.now() - started;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    sent,
    completed: latencies.length,
    errors,
    rps: latencies.length / (wall / 1000),
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? NaN,
  };
}
