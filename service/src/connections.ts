/**
 * Client connections, bounded and visible (docs/robustness.md): a connection that sends no byte within the request
 * timeout is closed (Node's own timeouts start only with a request's first byte), the server keeps at most a
 * connection limit that leaves room in the process's open-file limit for everything else it opens, open
 * connections are a gauge, and a log line says when they approach the limit and when new ones are refused.
 */
import { readFileSync } from "node:fs";
import { type Server } from "node:http";
import { type Socket } from "node:net";
import { type Logger } from "pino";
import { type ServiceMetrics } from "./observability/metrics";

/** Open connections, as a share of the limit, that trigger the warning; it is re-armed below RELAX_AT. */
const WARN_AT = 0.8;
const RELAX_AT = 0.6;

/**
 * Descriptors kept for everything but client connections: the DynamoDB and upstream agents' sockets, the Genesys
 * API, log output, the runtime's own. An eighth of the limit, at least 64 and at most 1024.
 */
export function descriptorReserve(openFiles: number): number {
  return Math.max(64, Math.min(1024, Math.floor(openFiles / 8)));
}

/** The open-file limit that lets a process keep `maxConnections` client connections (the ECS task's `nofile`). */
export function openFilesFor(maxConnections: number): number {
  // descriptorReserve(n + 1024) is 1024 from n = 8192 on; below, the reserve is smaller and the limit generous.
  return maxConnections + 1024;
}

/** The connection limit: MAX_CONNECTIONS, lowered so that the open-file limit keeps its reserve. */
export function connectionLimit(maxConnections: number, openFiles: number | undefined): number {
  if (openFiles === undefined) return maxConnections;
  return Math.max(1, Math.min(maxConnections, openFiles - descriptorReserve(openFiles)));
}

/** The soft open-file limit of this process (`ulimit -n`), read from /proc on Linux; undefined elsewhere or unlimited. */
export function processOpenFileLimit(limitsFile = "/proc/self/limits"): number | undefined {
  let text: string;
  try {
    text = readFileSync(limitsFile, "utf8");
  } catch {
    return undefined;
  }
  const line = text.split("\n").find((l) => l.startsWith("Max open files"));
  const soft = line?.slice("Max open files".length).trim().split(/\s+/)[0];
  const value = Number(soft);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

export interface ConnectionWatchOptions {
  limit: number;
  /** A connection that has sent no byte after this long is closed (REQUEST_TIMEOUT_MS). */
  silentTimeoutMs: number;
  metrics: ServiceMetrics;
  logger: Logger;
}

/** Bounds and counts the server's client connections. */
export function watchConnections(server: Server, options: ConnectionWatchOptions): void {
  const { limit, metrics, logger } = options;
  server.maxConnections = limit;
  metrics.connectionLimit.set(limit);
  let open = 0;
  let warned = false;
  let refusing = false;
  const closeIfSilent = (socket: Socket) => {
    if (socket.bytesRead > 0 || socket.destroyed) return;
    metrics.connectionsClosed.inc({ reason: "silent" });
    socket.destroy();
  };
  server.on("connection", (socket: Socket) => {
    open++;
    metrics.openConnections.set(open);
    if (!warned && open >= Math.ceil(limit * WARN_AT)) {
      warned = true;
      logger.warn({ open, limit }, "open connections approaching the limit (MAX_CONNECTIONS / open-file limit)");
    }
    const timer = setTimeout(closeIfSilent, options.silentTimeoutMs, socket);
    timer.unref();
    socket.once("close", () => {
      clearTimeout(timer);
      open--;
      metrics.openConnections.set(open);
      if (open <= Math.floor(limit * RELAX_AT)) {
        if (warned || refusing) logger.info({ open, limit }, "open connections back below the warning level");
        warned = false;
        refusing = false;
      }
    });
  });
  // Past maxConnections Node closes each new connection at once and emits "drop".
  server.on("drop", () => {
    metrics.connectionsClosed.inc({ reason: "refused" });
    if (!refusing) {
      refusing = true;
      logger.error({ open, limit }, "connection limit reached: new connections are refused until some close");
    }
  });
}
