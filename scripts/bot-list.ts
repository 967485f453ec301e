/**
 * `npm run bot-list`: prints the Genesys BotList JSON derived from the bot definitions
 * (BOTS_DIR, default service/bots) — the body of PUT /api/v2/integrations/botconnector/{id}/bots.
 */
import path from "node:path";
import { buildBotList } from "../service/src/bots/botList";
import { BotDefinitionError, loadBotDefinitions } from "../service/src/bots/load";

const dir = path.resolve(process.env.BOTS_DIR ?? path.join(__dirname, "..", "service", "bots"));
try {
  const bots = loadBotDefinitions(dir);
  process.stdout.write(JSON.stringify(buildBotList(bots.map((b) => b.definition)), null, 2) + "\n");
} catch (err) {
  process.stderr.write((err instanceof BotDefinitionError ? err.message : String(err)) + "\n");
  process.exit(1);
}
