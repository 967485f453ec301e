/**
 * `npm start`: the whole thing on one machine, no cloud and no credentials.
 *
 * 1. Renders the local stack's flow once for each bot of BOTS_DIR, and the bot list, with the code of
 *    `npm run synth` (scripts/localStack.ts), into the stack's output folder.
 * 2. Starts the endpoint service in local mode: the bots of BOTS_DIR, an in-memory session store, a verify token
 *    generated for this run (or VERIFY_TOKEN), the stack's verify-token header.
 * 3. Starts the Genesys emulator playing those flows against the service, and prints the chat page's URL and the
 *    Bot Connector endpoint.
 *
 * It stops completely on Ctrl-C, on SIGTERM or SIGINT, and when the process that started it goes away: npm runs
 * scripts through `sh -c`, and a shell killed by a signal does not pass it on, so `kill <npm's pid>` would
 * otherwise leave this process holding both ports.
 *
 * Environment: LOCAL_STACK [dev] (the stack whose flow is played), LOCAL_PROTOCOL [the stack's genesysProtocol]
 * (v1: the Bot Connector; v2: the Digital Bot Connector, with the emulator's own Platform API on
 * EMULATOR_PLATFORM_PORT [any free port] for replies that come later), EMULATOR_PORT [3000], EMULATOR_HOST
 * [127.0.0.1], PORT [8080] and HOST [127.0.0.1] of the service, BOTS_DIR [service/bots], SYNTH_OUT_DIR [out],
 * LOG_LEVEL [info] (the service's JSON logs), VERIFY_TOKEN (optional).
 */
import { ConfigError } from "../service/src/config";
import { start } from "../service/src/main";
import { TURN_ROUTE } from "../service/src/server";
import { readArtifacts } from "../emulator/artifacts";
import { BotListError } from "../emulator/botList";
import { createEmulator, type Emulator } from "../emulator/emulator";
import { FlowLoadError } from "../emulator/flow/load";
import { connectDigital, LOCAL_PROTOCOLS, protocolSynthOverrides, startLocalPlatform, type LocalProtocol } from "../emulator/digital/local";
import { readStackConfig } from "../components/genesys/tooling/stackFile";
import { parseGenesysSettings } from "../stacks/settings/genesys";
import { describeLocalStack, renderLocalStack } from "./localStack";
import { botsDirFrom, PROJECT_DIR } from "./paths";
import { isConfigurationMistake } from "./synth";

class StartError extends Error {}

function port(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new StartError(`${name} must be a port number (0-65535), got "${raw}"`);
  return value;
}

/** How often the process checks that whoever started it is still there. */
const PARENT_CHECK_MS = 500;

/**
 * Stops this process as SIGTERM would once its parent is gone (it is then re-parented, so its parent pid
 * changes). The check is a timer that does not keep the process alive.
 */
function stopWithParent(): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    process.stderr.write(`\nthe process that started npm start (pid ${parent}) is gone\n`);
    process.kill(process.pid, "SIGTERM");
  }, PARENT_CHECK_MS);
  timer.unref();
}

async function main(env: NodeJS.ProcessEnv): Promise<void> {
  const stack = env.LOCAL_STACK?.trim() || "dev";
  const emulatorPort = port("EMULATOR_PORT", env.EMULATOR_PORT, 3000);
  port("PORT", env.PORT, 8080);
  const botsDir = botsDirFrom(env);

  const stackConfig = readStackConfig(PROJECT_DIR, stack).config;
  const protocol = (env.LOCAL_PROTOCOL?.trim().toLowerCase() || parseGenesysSettings(stackConfig, { stack }).settings?.protocol || "v1") as LocalProtocol;
  if (!LOCAL_PROTOCOLS.includes(protocol)) throw new StartError(`LOCAL_PROTOCOL must be v1 (Bot Connector) or v2 (Digital Bot Connector), got "${env.LOCAL_PROTOCOL}"`);
  const local = renderLocalStack({ projectDir: PROJECT_DIR, stack, botsDir, env, overrides: protocolSynthOverrides(protocol, stackConfig) });
  const artifacts = readArtifacts([...local.flowFiles.values()], local.botListFile);
  const settings = local.settings;
  const host = env.EMULATOR_HOST?.trim() || "127.0.0.1";
  // v2: the emulator's Platform API first: the service sends its replies that come later there.
  const platform = protocol === "v2" ? await startLocalPlatform(host, port("EMULATOR_PLATFORM_PORT", env.EMULATOR_PLATFORM_PORT, 0)) : undefined;

  const { service, config, url } = await start({
    HOST: "127.0.0.1",
    VERIFY_TOKEN_HEADER: settings.botConnector.verifyTokenHeader,
    ...env,
    ...platform?.serviceEnv,
    BOTS_DIR: botsDir,
    LOCAL_MODE: "true",
    SESSION_STORE: "memory",
  });
  stopWithParent();
  const credentials = { [config.verifyTokenHeader]: config.verifyTokens[0] as string };
  let endpoint = url + TURN_ROUTE;
  const [first, ...more] = artifacts.flows;
  let emulator: Emulator;
  try {
    const digital = platform ? await connectDigital(url, credentials) : undefined;
    if (digital) endpoint = digital.endpoint.url;
    emulator = createEmulator({
      flowYaml: first?.yaml ?? "",
      moreFlows: more,
      botList: artifacts.botList,
      ...(digital && platform ? { digital: { manifest: digital.manifest, platform: platform.platform } } : {}),
      sources: { flow: first?.source ?? "", botList: artifacts.botListSource },
      botConnector: { url: endpoint, credentials },
      autoStart: settings.messenger.autoStart,
      messenger: { botDisplayName: settings.messenger.botDisplayName, primaryColor: settings.messenger.primaryColor },
    });
  } catch (err) {
    await service.close();
    await platform?.platform.stop();
    throw err;
  }
  // start() installed the service's own SIGINT/SIGTERM handling (close, then exit). The emulator goes first,
  // so no turn starts while the service drains.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.prependOnceListener(signal, () => {
      process.stderr.write(`\n${signal}: stopping the emulator and the service\n`);
      void emulator.close();
      void platform?.platform.stop();
    });
  }
  let chatUrl: string;
  try {
    chatUrl = await emulator.listen(emulatorPort, host);
  } catch (err) {
    await service.close();
    const reason = (err as NodeJS.ErrnoException).code === "EADDRINUSE" ? "it is already in use" : (err as Error).message;
    throw new StartError(`EMULATOR_PORT ${emulatorPort} cannot be used: ${reason}. Set EMULATOR_PORT to a free port.`);
  }
  const token = config.generatedToken ? `${config.verifyTokenHeader}: ${config.verifyTokens[0]}` : `${config.verifyTokenHeader}: (VERIFY_TOKEN)`;
  process.stderr.write(
    [
      "",
      `Chat with the bot${local.bots.length > 1 ? "s" : ""}:`.padEnd(26) + `${chatUrl}/`,
      protocol === "v2" ? `Digital Bot Connector URI: ${endpoint}` : `Bot Connector endpoint:   ${endpoint}`,
      ...(platform ? [`Genesys Platform API:     ${platform.platform.url} (outgoing messages; the service's OAuth client made up for this run)`] : []),
      `Verify token header:      ${token}`,
      ...describeLocalStack(local),
      "Ctrl-C stops both.",
      "",
      "",
    ].join("\n"),
  );
}

main(process.env).catch((err: unknown) => {
  const known = err instanceof StartError || err instanceof ConfigError || err instanceof FlowLoadError || err instanceof BotListError || isConfigurationMistake(err);
  process.stderr.write(`npm start: ${known ? (err as Error).message : String((err as Error).stack ?? err)}\n`);
  process.exit(1);
});
