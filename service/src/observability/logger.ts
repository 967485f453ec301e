import { type FastifyBaseLogger } from "fastify";
import { type FastifyChildLoggerFactory } from "fastify/types/logger";
import pino, { type Bindings, type ChildLoggerOptions, type Logger } from "pino";

/**
 * Paths that could carry a secret if ever logged by mistake; requests are never logged with headers,
 * this is the second line of defence. Exact paths only: wildcards cost on every line.
 */
const REDACT = ["headers", "req.headers", "err.headers", "verifyToken", "token", "authorization", "clientSecret", "err.config"];

/** Longest a log line waits in the buffer of the default destination. */
const FLUSH_INTERVAL_MS = 1_000;

type BufferedDestination = ReturnType<typeof pino.destination>;
const buffered = new WeakMap<Logger, BufferedDestination>();

/**
 * JSON lines on stdout. Without an explicit destination, lines are buffered and written 4 KiB at a time
 * (a line per turn otherwise costs a write per turn, a third of a busy service's time), and at least
 * every second so a quiet service still logs promptly; `flushLogs` writes the rest before exiting.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const own = destination ? undefined : pino.destination({ dest: 1, sync: false, minLength: 4096 });
  const logger = pino(
    {
      level,
      base: { service: "botconnector" },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT, censor: "[redacted]" },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination ?? (own as BufferedDestination),
  );
  if (own) {
    buffered.set(logger, own);
    setInterval(() => own.flush(), FLUSH_INTERVAL_MS).unref();
  }
  return logger;
}

/** Writes out what the default destination still buffers (before process.exit). */
export function flushLogs(logger: Logger): void {
  try {
    buffered.get(logger)?.flushSync();
  } catch {
    // Nothing buffered, or stdout already gone: nothing more can be written.
  }
}

type LogArgs = Parameters<FastifyBaseLogger["info"]>;

/**
 * Fastify makes a child logger for every request, paying for its bindings even when the request logs nothing. This
 * one defers the child until the first line is written. A class, so a request costs one small object rather than a
 * closure per method.
 */
class LazyChildLogger {
  private made: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  private real(): FastifyBaseLogger {
    return (this.made ??= this.parent.child(this.bindings, this.options));
  }

  get level(): string {
    return this.made?.level ?? this.parent.level;
  }

  set level(value: string) {
    this.real().level = value;
  }

  fatal(...args: LogArgs): void {
    this.real().fatal(...args);
  }
  error(...args: LogArgs): void {
    this.real().error(...args);
  }
  warn(...args: LogArgs): void {
    this.real().warn(...args);
  }
  info(...args: LogArgs): void {
    this.real().info(...args);
  }
  debug(...args: LogArgs): void {
    this.real().debug(...args);
  }
  trace(...args: LogArgs): void {
    this.real().trace(...args);
  }
  silent(...args: LogArgs): void {
    this.real().silent(...args);
  }
  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.real().child(bindings, options);
  }
}

export const lazyChildLoggerFactory: FastifyChildLoggerFactory = (logger, bindings, options) =>
  new LazyChildLogger(logger, bindings, options) as unknown as FastifyBaseLogger;

/** The few calls a turn makes, each with an object of fields and a message. */
export interface TurnLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
  /**
   * The one info line every turn writes, in the same format and to the same destination as pino's lines,
   * serialised with JSON.stringify: pino's generic path cost a busy service a sixth of its time for this
   * line alone. Only for fields the service builds itself (no redaction is applied; nothing secret goes in).
   */
  summary(fields: Record<string, unknown>, message: string): void;
}

const summaryTargets = new WeakMap<Logger, { destination: { write(chunk: string): void }; bound: Record<string, unknown> }>();

/** The logger's destination and its own bindings (`service`), looked up once: pino re-parses bindings on each call. */
function summaryTarget(base: Logger) {
  let target = summaryTargets.get(base);
  if (!target) {
    const destination = (base as unknown as Record<symbol, { write(chunk: string): void }>)[pino.symbols.streamSym] as { write(chunk: string): void };
    target = { destination, bound: base.bindings() };
    summaryTargets.set(base, target);
  }
  return target;
}

/**
 * A logger that adds the turn's ids to every line. Cheaper than a pino child for the one or two lines a turn writes:
 * nothing is serialised until a line is, and the level is checked first (merging the bindings of a line that the
 * level drops would cost on every turn).
 */
class BoundLogger implements TurnLogger {
  constructor(
    private readonly base: Logger,
    private readonly bindings: Record<string, unknown>,
  ) {}

  private line(level: "info" | "warn" | "error", fields: object, message: string): void {
    if (this.base.isLevelEnabled(level)) this.base[level]({ ...this.bindings, ...fields }, message);
  }

  info(fields: object, message: string): void {
    this.line("info", fields, message);
  }
  warn(fields: object, message: string): void {
    this.line("warn", fields, message);
  }
  error(fields: object, message: string): void {
    this.line("error", fields, message);
  }

  summary(fields: Record<string, unknown>, message: string): void {
    if (!this.base.isLevelEnabled("info")) return;
    const { destination, bound } = summaryTarget(this.base);
    const record = { level: "info", time: new Date().toISOString(), ...bound, ...this.bindings, ...fields, msg: message };
    destination.write(JSON.stringify(record) + "\n");
  }
}

export function bindLogger(base: Logger, bindings: Record<string, unknown>): TurnLogger {
  return new BoundLogger(base, bindings);
}
