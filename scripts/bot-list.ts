/**
 * `npm run bot-list`: prints the Genesys BotList JSON derived from the bot definitions
 * (BOTS_DIR, default service/bots) — the body of PUT /api/v2/integrations/botconnector/{id}/bots.
 */
import { buildBotList } from "../service/src/bots/botList";
import { BotDefinitionError, loadBotDefinitions } from "../service/src/bots/load";
import { botsDirFrom, BotsDirError } from "./paths";

try {
  const bots = loadBotDefinitions(botsDirFrom(process.env));
  process.stdout.write(JSON.stringify(buildBotList(bots.map((b) => b.definition)), null, 2) + "\n");
} catch (err) {
  const known = err instanceof BotDefinitionError || err instanceof BotsDirError;
  process.stderr.write(`bot-list: ${known ? err.message : String((err as Error).stack ?? err)}\n`);
  process.exit(1);
}
