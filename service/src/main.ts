import { BotDefinitionError } from "./bots/load";
import { ConfigError, loadConfig, type ServiceConfig } from "./config";
import { createService, type Service } from "./app";
import { flushLogs } from "./observability/logger";
import { DIGITAL_BASE_PATH } from "./protocol/v2/types";
import { TURN_ROUTE } from "./server";

/** Deadline for a graceful stop; ECS sends SIGKILL after the task's stopTimeout. */
const SHUTDOWN_DEADLINE_MS = 9_000;

function installShutdown(service: Service): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    service.logger.info({ signal }, "stopping: no new turns, answering those in flight");
    flushLogs(service.logger);
    const force = setTimeout(() => {
      service.logger.error("turns still in flight at the shutdown deadline; exiting");
      flushLogs(service.logger);
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    force.unref();
    service
      .close()
      .then(() => {
        service.logger.info("stopped");
        flushLogs(service.logger);
        process.exit(0);
      })
      .catch((err: unknown) => {
        service.logger.error({ err }, "shutdown failed");
        flushLogs(service.logger);
        process.exit(1);
      });
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

/** A listening failure the user fixes in PORT or HOST, as a ConfigError (one sentence); anything else as it is. */
export function listenError(err: unknown, config: Pick<ServiceConfig, "port" | "host">): unknown {
  switch ((err as NodeJS.ErrnoException | undefined)?.code) {
    case "EADDRINUSE":
      return new ConfigError([`PORT ${config.port} is already in use on ${config.host}; stop what holds it or set PORT to a free port`]);
    case "EACCES":
      return new ConfigError([`PORT ${config.port} needs privileges on this machine; set PORT to 1024 or above`]);
    case "EADDRNOTAVAIL":
    case "ENOTFOUND":
      return new ConfigError([`HOST ${config.host} is not an address of this machine; set HOST to one (127.0.0.1, 0.0.0.0)`]);
    default:
      return err;
  }
}

/** Starts the service from the environment; returns it once it listens. */
export async function start(env: NodeJS.ProcessEnv = process.env): Promise<{ service: Service; config: ServiceConfig; url: string }> {
  const config = loadConfig(env);
  const service = createService(config);
  installShutdown(service);
  process.on("unhandledRejection", (reason) => service.logger.error({ err: reason }, "unhandled rejection"));
  let address: string;
  try {
    address = await service.app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await service.close();
    throw listenError(err, config);
  }
  const url = address.replace("0.0.0.0", "127.0.0.1");
  service.logger.info(
    { url, bots: service.registry.all().map((b) => `${b.definition.id}@${b.definition.version}`), sessionStore: service.store.kind, localMode: config.localMode },
    "listening",
  );
  flushLogs(service.logger);
  return { service, config, url };
}

if (require.main === module) {
  start().then(
    ({ config, url }) => {
      if (config.generatedToken) {
        // Local mode only: the token was made here and is printed once so a local caller can use it.
        const endpoint = config.genesysProtocol === "v2" ? `Digital Bot Connector URI: ${url}${DIGITAL_BASE_PATH}` : `Bot Connector endpoint: ${url}${TURN_ROUTE}`;
        process.stderr.write(
          `\nLocal mode. ${endpoint}\n` +
            `Send the header "${config.verifyTokenHeader}: ${config.verifyTokens[0]}"\n\n`,
        );
      }
    },
    (err: unknown) => {
      if (err instanceof ConfigError || err instanceof BotDefinitionError) {
        process.stderr.write(`${err.message}\n`);
      } else {
        process.stderr.write(`the service failed to start: ${(err as Error).stack ?? String(err)}\n`);
      }
      process.exit(1);
    },
  );
}
