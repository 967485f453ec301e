/**
 * `npm start`: the whole thing on one machine, no cloud and no credentials.
 *
 * 1. Renders the local stack's artifacts with the code of `npm run synth` into `out/<stack>/` (the flow and bot
 *    list `pulumi up` would deploy).
 * 2. Starts the endpoint service in local mode: the bots of BOTS_DIR, an in-memory session store, a verify token
 *    generated for this run (or VERIFY_TOKEN), the stack's verify-token header.
 * 3. Starts the Genesys emulator playing that flow against the service, and prints the chat page's URL and the
 *    Bot Connector endpoint.
 *
 * Ctrl-C or SIGTERM stops the emulator first (no new turns), then the service.
 *
 * Environment: LOCAL_STACK [dev] (the stack whose flow is played), LOCAL_PROTOCOL [the stack's genesysProtocol]
 * (v1: the Bot Connector; v2: the Digital Bot Connector, with the emulator's own Platform API on
 * EMULATOR_PLATFORM_PORT [any free port] for replies that come later), EMULATOR_PORT [3000], EMULATOR_HOST
 * [127.0.0.1], PORT [8080] and HOST [127.0.0.1] of the service, BOTS_DIR [service/bots], SYNTH_OUT_DIR [out],
 * LOG_LEVEL [info] (the service's JSON logs), VERIFY_TOKEN (optional).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ConfigError } from "../service/src/config";
import { start } from "../service/src/main";
import { TURN_ROUTE } from "../service/src/server";
import { BotDefinitionError } from "../service/src/bots/load";
import { readStackConfig, UnknownStackError } from "../components/genesys/tooling/stackFile";
import { parseGenesysSettings } from "../stacks/settings/genesys";
import { readArtifacts } from "../emulator/artifacts";
import { BotListError } from "../emulator/botList";
import { createEmulator, type Emulator } from "../emulator/emulator";
import { FlowLoadError } from "../emulator/flow/load";
import { connectDigital, LOCAL_PROTOCOLS, protocolSynthOverrides, startLocalPlatform, type LocalProtocol } from "../emulator/digital/local";
import { SynthError, synthStack } from "./synth";

const projectDir = path.resolve(__dirname, "..");

function port(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new StartError(`${name} must be a port number (0-65535), got "${raw}"`);
  return value;
}

class StartError extends Error {}

/** Renders the stack like `npm run synth -- <stack>` and writes the files; returns the directory. */
function render(stack: string, botsDir: string, env: NodeJS.ProcessEnv, overrides?: Record<string, unknown>): string {
  const output = synthStack({ projectDir, stack, botsDir, ...(overrides ? { overrides } : {}) });
  const dir = path.join(path.resolve(projectDir, env.SYNTH_OUT_DIR ?? "out"), stack);
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(output.files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

async function main(env: NodeJS.ProcessEnv): Promise<void> {
  const stack = env.LOCAL_STACK?.trim() || "dev";
  const emulatorPort = port("EMULATOR_PORT", env.EMULATOR_PORT, 3000);
  const botsDir = path.resolve(projectDir, env.BOTS_DIR?.trim() || path.join("service", "bots"));

  const stackConfig = readStackConfig(projectDir, stack).config;
  const stackProtocol = parseGenesysSettings(stackConfig, { stack }).settings?.protocol ?? "v1";
  const protocol = (env.LOCAL_PROTOCOL?.trim().toLowerCase() || stackProtocol) as LocalProtocol;
  if (!LOCAL_PROTOCOLS.includes(protocol)) throw new StartError(`LOCAL_PROTOCOL must be v1 (Bot Connector) or v2 (Digital Bot Connector), got "${env.LOCAL_PROTOCOL}"`);
  const overrides = protocolSynthOverrides(protocol, stackConfig);
  const dir = render(stack, botsDir, env, overrides);
  // synthStack has validated the settings; read them again for what the emulator shows and sends.
  const settings = parseGenesysSettings({ ...stackConfig, ...overrides }, { stack }).settings;
  if (!settings) throw new StartError(`the Genesys settings of stack "${stack}" are not valid; run npm run synth -- ${stack}`);
  if (settings.flow.callBotConnectorTemplateFile) {
    throw new StartError(
      `stack "${stack}" renders its Call Bot Connector action from ${settings.flow.callBotConnectorTemplateFile}; ` +
        "the emulator runs only the built-in shape the renderer documents. Choose another stack with LOCAL_STACK.",
    );
  }
  const artifacts = readArtifacts(dir, { withBotList: protocol === "v1" });
  const host = env.EMULATOR_HOST?.trim() || "127.0.0.1";
  // v2: the emulator's Platform API first: the service sends its replies that come later there.
  const local = protocol === "v2" ? await startLocalPlatform(host, port("EMULATOR_PLATFORM_PORT", env.EMULATOR_PLATFORM_PORT, 0)) : undefined;

  const { service, config, url } = await start({
    HOST: "127.0.0.1",
    VERIFY_TOKEN_HEADER: settings.botConnector.verifyTokenHeader,
    ...env,
    ...local?.serviceEnv,
    BOTS_DIR: botsDir,
    LOCAL_MODE: "true",
    SESSION_STORE: "memory",
  });
  const credentials = { [config.verifyTokenHeader]: config.verifyTokens[0] as string };
  let endpoint = url + TURN_ROUTE;
  let emulator: Emulator;
  try {
    const digital = local ? await connectDigital(url, credentials) : undefined;
    if (digital) endpoint = digital.endpoint.url;
    emulator = createEmulator({
      ...artifacts,
      ...(digital && local ? { digital: { manifest: digital.manifest, platform: local.platform } } : {}),
      botConnector: { url: endpoint, credentials },
      autoStart: settings.messenger.autoStart,
      messenger: { botDisplayName: settings.messenger.botDisplayName, primaryColor: settings.messenger.primaryColor },
    });
  } catch (err) {
    await service.close();
    await local?.platform.stop();
    throw err;
  }
  // start() installed the service's own SIGINT/SIGTERM handling (close, then exit). The emulator goes first,
  // so no turn starts while the service drains.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.prependOnceListener(signal, () => {
      process.stderr.write(`\n${signal}: stopping the emulator and the service\n`);
      void emulator.close();
      void local?.platform.stop();
    });
  }
  let chatUrl: string;
  try {
    chatUrl = await emulator.listen(emulatorPort, host);
  } catch (err) {
    await service.close();
    throw new StartError(`the emulator cannot listen on port ${emulatorPort}: ${(err as Error).message}. Set EMULATOR_PORT to a free port.`);
  }
  const token = config.generatedToken ? `${config.verifyTokenHeader}: ${config.verifyTokens[0]}` : `${config.verifyTokenHeader}: (VERIFY_TOKEN)`;
  process.stderr.write(
    [
      "",
      `Chat with the bot:        ${chatUrl}/`,
      protocol === "v2" ? `Digital Bot Connector URI: ${endpoint}` : `Bot Connector endpoint:   ${endpoint}`,
      ...(local ? [`Genesys Platform API:     ${local.platform.url} (outgoing messages; the service's OAuth client made up for this run)`] : []),
      `Verify token header:      ${token}`,
      `Genesys flow (stack ${stack}): ${path.relative(process.cwd(), artifacts.sources.flow)} · ` +
        (local ? "bots read from the service's manifest" : `bot list ${path.relative(process.cwd(), artifacts.sources.botList)}`),
      "Ctrl-C stops both.",
      "",
      "",
    ].join("\n"),
  );
}

main(process.env).catch((err: unknown) => {
  const known = [StartError, SynthError, UnknownStackError, BotDefinitionError, ConfigError, FlowLoadError, BotListError].some((type) => err instanceof type);
  process.stderr.write(`npm start: ${known ? (err as Error).message : String((err as Error).stack ?? err)}\n`);
  process.exit(1);
});
