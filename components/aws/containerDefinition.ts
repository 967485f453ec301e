/**
 * The endpoint service's container definition, as a pure function, so tests and policies can read the
 * exact JSON ECS receives. Secrets are only ever references (`valueFrom` ARNs): their values never
 * enter the task definition, the Pulumi state of the task definition, or `docker inspect`.
 */

/** The container's name in the task definition and in the service's load balancer mapping. */
export const CONTAINER_NAME = "service";

/** The task volume mounted at /tmp: the only writable path, as the root filesystem is read-only. */
export const TMP_VOLUME = "tmp";

/** Environment names the hosting sets itself (the service's contract, ARCHITECTURE.md). */
export const HOSTING_ENVIRONMENT = [
  "PORT",
  "LOG_LEVEL",
  "VERIFY_TOKEN_HEADER",
  "SESSION_STORE",
  "SESSION_TABLE",
  "AWS_REGION",
  "TURN_BUDGET_MS",
  "KEEP_ALIVE_TIMEOUT_MS",
  "MAX_CONNECTIONS",
] as const;

/** The secret every deployment must pass: the Bot Connector verify token. */
export const VERIFY_TOKEN_ENV = "VERIFY_TOKEN";

export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Plain environment names that look like credentials: these belong in `secrets`. */
export const SECRET_LOOKING_ENV = /(SECRET|PASSWORD|PASSWD|TOKEN|CREDENTIAL|PRIVATE_KEY|API_KEY)/i;

export interface ServiceEnvironmentInput {
  port: number;
  logLevel: string;
  verifyTokenHeader: string;
  tableName: string;
  region: string;
  turnBudgetMs: number;
  /** Longer than the load balancer's idle timeout (connectionFigures). */
  keepAliveTimeoutMs: number;
  maxConnections: number;
  /** Further non-secret variables (validated elsewhere: no hosting names, nothing secret-looking). */
  extra?: Record<string, string>;
}

/** The plain environment: the hosting contract plus the extras, sorted for stable diffs. */
export function serviceEnvironment(input: ServiceEnvironmentInput): Record<string, string> {
  const hosting: Record<(typeof HOSTING_ENVIRONMENT)[number], string> = {
    PORT: String(input.port),
    LOG_LEVEL: input.logLevel,
    VERIFY_TOKEN_HEADER: input.verifyTokenHeader,
    SESSION_STORE: "dynamodb",
    SESSION_TABLE: input.tableName,
    AWS_REGION: input.region,
    TURN_BUDGET_MS: String(input.turnBudgetMs),
    KEEP_ALIVE_TIMEOUT_MS: String(input.keepAliveTimeoutMs),
    MAX_CONNECTIONS: String(input.maxConnections),
  };
  return { ...(input.extra ?? {}), ...hosting };
}

export interface ContainerSpec {
  /** Digest-pinned image reference (`repo@sha256:…`). */
  image: string;
  port: number;
  /** uid:gid the process runs as; never root. */
  user: string;
  region: string;
  logGroupName: string;
  environment: Record<string, string>;
  /** Environment name → Secrets Manager secret ARN. */
  secrets: Record<string, string>;
  /** Seconds ECS waits after SIGTERM before SIGKILL: time to drain in-flight turns. */
  stopTimeoutSeconds: number;
  /** The open-file limit (soft and hard), sized with the connection limit (connectionFigures). */
  openFiles: number;
}

const sortedPairs = <T>(record: Record<string, T>) => Object.keys(record).sort().map((name) => [name, record[name]!] as const);

/** The one container of the task, hardened: non-root, read-only root filesystem, no Linux capabilities. */
export function containerDefinition(spec: ContainerSpec): Record<string, unknown> {
  if (!/@sha256:[0-9a-f]{64}$/.test(spec.image)) {
    throw new Error(`the task must run a digest-pinned image (repo@sha256:<digest>), got "${spec.image}"`);
  }
  return {
    name: CONTAINER_NAME,
    image: spec.image,
    essential: true,
    user: spec.user,
    readonlyRootFilesystem: true,
    mountPoints: [{ sourceVolume: TMP_VOLUME, containerPath: "/tmp", readOnly: false }],
    portMappings: [{ name: "http", containerPort: spec.port, hostPort: spec.port, protocol: "tcp", appProtocol: "http" }],
    environment: sortedPairs(spec.environment).map(([name, value]) => ({ name, value })),
    secrets: sortedPairs(spec.secrets).map(([name, valueFrom]) => ({ name, valueFrom })),
    ulimits: [{ name: "nofile", softLimit: spec.openFiles, hardLimit: spec.openFiles }],
    linuxParameters: {
      // tini as PID 1: signals reach Node, zombies are reaped.
      initProcessEnabled: true,
      capabilities: { drop: ["ALL"] },
    },
    stopTimeout: spec.stopTimeoutSeconds,
    logConfiguration: {
      logDriver: "awslogs",
      options: {
        "awslogs-group": spec.logGroupName,
        "awslogs-region": spec.region,
        "awslogs-stream-prefix": CONTAINER_NAME,
        // A slow log pipeline must never block the event loop (and so a turn); the buffer absorbs bursts.
        mode: "non-blocking",
        "max-buffer-size": "25m",
      },
    },
  };
}
