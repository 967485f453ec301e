import pino, { type Logger } from "pino";

/**
 * Paths that could carry a secret if ever logged by mistake; the verify token header is never logged
 * on purpose (requests are not logged with headers at all), this is the second line of defence.
 */
const REDACT = [
  "req.headers",
  "headers",
  "*.headers",
  "verifyToken",
  "*.verifyToken",
  "token",
  "*.token",
  "authorization",
  "*.authorization",
  "clientSecret",
  "*.clientSecret",
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "botconnector" },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT, censor: "[redacted]" },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
