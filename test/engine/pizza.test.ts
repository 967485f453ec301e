/**
 * A second, small bot tested the way docs/writing-bots.md shows an author testing theirs: the engine driven turn
 * by turn, every answer checked against the protocol's rules (test/engine/chat.ts).
 */
import { readFileSync } from "node:fs";
import { parseBotDefinition } from "../../service/src/bots/load";
import { runnable } from "../bots/fixtures";
import { PIZZA_BOT_YAML } from "../fixtures/twoBots";
import { Chat } from "./chat";

const bot = runnable(parseBotDefinition(readFileSync(PIZZA_BOT_YAML, "utf8"), PIZZA_BOT_YAML));

it("takes an order by button, by number and by words", () => {
  for (const answer of [(c: Chat) => c.click("Large"), (c: Chat) => c.send("2"), (c: Chat) => c.send("a large one please")]) {
    const chat = new Chat(bot);
    expect(chat.send("").response.replymessages[0]?.text).toBe("Welcome to Pizza Palace! What size would you like?");
    expect(answer(chat).response).toMatchObject({ botState: "Complete", intent: "PizzaOrdered", slotValues: { size: "large" } });
  }
});

it("asks again after a miss, and hands over on the interrupt word", () => {
  const chat = new Chat(bot);
  chat.send("");
  expect(chat.send("pepperoni").response).toMatchObject({ botState: "MoreData", replymessages: [{ text: "Welcome to Pizza Palace! What size would you like?" }] });
  expect(chat.send("agent").response).toMatchObject({ botState: "Complete", intent: "AgentRequested", parameters: { handoverReason: "customer asked for an agent" } });
});
