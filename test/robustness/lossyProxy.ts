/**
 * An HTTP proxy in front of a DynamoDB-compatible server that loses the answers to chosen writes: the PutItem
 * reaches the table (the write lands), then its response is dropped (the connection is cut) or held past the SDK's
 * attempt timeout. The AWS SDK then retries the write, as it does against DynamoDB when a response is lost.
 */
import { once } from "node:events";
import http from "node:http";
import { type AddressInfo } from "node:net";

export type Loss = { kind: "drop" } | { kind: "delay"; ms: number };

export interface LossyProxy {
  endpoint: string;
  /** Loses the responses of the next `count` PutItem calls whose body mentions `sessionId`. */
  loseWrites(sessionId: string, count: number, loss: Loss): void;
  /** PutItem calls seen for a session, and how many of their responses were lost. */
  writes(sessionId: string): { calls: number; lost: number };
  stop(): Promise<void>;
}

export async function startLossyProxy(targetPort: number): Promise<LossyProxy> {
  const rules = new Map<string, { remaining: number; loss: Loss }>();
  const seen = new Map<string, { calls: number; lost: number }>();
  const timers = new Set<NodeJS.Timeout>();

  const sessionOf = (body: string): string | undefined => {
    for (const id of rules.keys()) if (body.includes(JSON.stringify(id))) return id;
    for (const id of seen.keys()) if (body.includes(JSON.stringify(id))) return id;
    return undefined;
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const isPut = String(req.headers["x-amz-target"] ?? "").endsWith(".PutItem");
      const session = isPut ? sessionOf(body.toString("utf8")) : undefined;
      const upstream = http.request({ host: "127.0.0.1", port: targetPort, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        const out: Buffer[] = [];
        answer.on("data", (c: Buffer) => out.push(c));
        answer.on("end", () => {
          const send = () => {
            if (res.destroyed) return;
            res.writeHead(answer.statusCode ?? 500, answer.headers);
            res.end(Buffer.concat(out));
          };
          if (session === undefined) return send();
          const count = seen.get(session) ?? { calls: 0, lost: 0 };
          count.calls++;
          seen.set(session, count);
          const rule = rules.get(session);
          if (!rule || rule.remaining <= 0) return send();
          rule.remaining--;
          count.lost++;
          if (rule.loss.kind === "drop") {
            // The write landed; its answer never arrives.
            req.socket.destroy();
            return;
          }
          const timer = setTimeout(() => {
            timers.delete(timer);
            send();
          }, rule.loss.ms);
          timers.add(timer);
        });
      });
      upstream.on("error", () => res.destroy());
      upstream.end(body);
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    loseWrites(sessionId, count, loss) {
      rules.set(sessionId, { remaining: count, loss });
      if (!seen.has(sessionId)) seen.set(sessionId, { calls: 0, lost: 0 });
    },
    writes: (sessionId) => ({ ...(seen.get(sessionId) ?? { calls: 0, lost: 0 }) }),
    async stop() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
