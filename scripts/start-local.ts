/**
 * `npm start`: local mode. The endpoint service with the sample bot, an in-memory session store and a
 * verify token generated for this run; no cloud, no credentials.
 */
import { start } from "../service/src/main";
import { TURN_ROUTE } from "../service/src/server";

async function main(): Promise<void> {
  const { config, url } = await start({ HOST: "127.0.0.1", ...process.env, LOCAL_MODE: "true", SESSION_STORE: "memory" });
  process.stderr.write(
    `\nBot Connector endpoint: ${url}${TURN_ROUTE}\n` +
      `Verify token header:    ${config.verifyTokenHeader}: ${config.generatedToken ? config.verifyTokens[0] : "(from VERIFY_TOKEN)"}\n\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
});
