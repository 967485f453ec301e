/**
 * The connection figures of the endpoint, derived from one source so they can never disagree
 * (docs/robustness.md):
 *
 * - the load balancer's idle timeout (`endpoint.idleTimeoutSeconds`, default 60 s);
 * - the service's keep-alive timeout (`KEEP_ALIVE_TIMEOUT_MS`): 5 s longer, so the service never closes an idle
 *   connection the load balancer may still send a request on (which the ALB would answer with a 502);
 * - the service's connection limit (`MAX_CONNECTIONS`, default 8192);
 * - the task's open-file limit (`ulimits` nofile, soft = hard): the connection limit plus the reserve the service
 *   keeps for its own sockets and files, so the limit the service computes from the process is exactly
 *   `MAX_CONNECTIONS`. (Fargate's own default is 65535; it is set explicitly so the figures stay one set.)
 */
import { openFilesFor } from "../../service/src/connections";
import { DEFAULT_MAX_CONNECTIONS } from "../../service/src/config";

/** The ALB's own default idle timeout. */
export const DEFAULT_IDLE_TIMEOUT_SECONDS = 60;
/** How much longer the service keeps an idle connection than the load balancer does. */
export const KEEP_ALIVE_MARGIN_MS = 5_000;

export interface ConnectionFigures {
  /** The load balancer's idle timeout. */
  idleTimeoutSeconds: number;
  /** `KEEP_ALIVE_TIMEOUT_MS` of the service. */
  keepAliveTimeoutMs: number;
  /** `MAX_CONNECTIONS` of the service. */
  maxConnections: number;
  /** The task's `nofile` limit. */
  openFiles: number;
}

export function connectionFigures(idleTimeoutSeconds = DEFAULT_IDLE_TIMEOUT_SECONDS, maxConnections = DEFAULT_MAX_CONNECTIONS): ConnectionFigures {
  return {
    idleTimeoutSeconds,
    keepAliveTimeoutMs: idleTimeoutSeconds * 1000 + KEEP_ALIVE_MARGIN_MS,
    maxConnections,
    openFiles: openFilesFor(maxConnections),
  };
}
