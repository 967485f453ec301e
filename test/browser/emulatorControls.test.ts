import { rmSync } from "node:fs";
import path from "node:path";
import { type Page } from "playwright-core";
import { createEmulator, type Emulator } from "../../emulator/emulator";
import { TURN_ROUTE } from "../../service/src/server";
import { twoBotArtifacts, twoBotsDir } from "../fixtures/twoBots";
import { startService, TOKEN, type TestService } from "../service/harness";
import { ARTIFACTS, type Browser, describeInChromium, openChromium } from "./chromium";

jest.setTimeout(90_000);

/** What a tester does beyond chatting: pick the bot, switch language, fire the follow-up timeout, see the queue. */
describeInChromium("emulator controls", () => {
  let bots: string;
  let svc: TestService;
  let emulator: Emulator;
  let url: string;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    bots = twoBotsDir();
    svc = await startService({ BOTS_DIR: bots });
    const artifacts = twoBotArtifacts();
    emulator = createEmulator({
      flowYaml: artifacts.acme,
      moreFlows: [{ yaml: artifacts.pizza, source: "pizza/architect-flow.yaml" }],
      botList: artifacts.botList,
      botConnector: { url: svc.url + TURN_ROUTE, credentials: { "verify-token": TOKEN } },
      messenger: { botDisplayName: "Ava (dev)" },
    });
    url = await emulator.listen(0);
    browser = await openChromium();
    ({ page, pageErrors } = browser);
  });

  afterAll(async () => {
    await browser?.close();
    await emulator?.close();
    await svc?.close();
    if (bots) rmSync(bots, { recursive: true, force: true });
  });

  const botMessage = (text: string) => page.getByTestId("bot-message").filter({ hasText: text });
  const presence = () => page.getByTestId("conversation-status");

  test("pick a bot, confirm a language switch, fire the follow-up timeout, wait for an agent", async () => {
    await page.goto(url + "/");
    await botMessage("What can I help you with?").waitFor();
    await expect(page.getByTestId("bot-select").locator("option").allTextContents()).resolves.toEqual(["Acme Support (acme-support)", "Pizza Palace (pizza)"]);
    await expect(page.getByTestId("fire-timeout").isDisabled()).resolves.toBe(false);

    // A language switch in a conversation the customer has written in asks first; "keep" keeps everything.
    await page.getByTestId("quick-reply").filter({ hasText: "Track an order" }).click();
    await botMessage("What's your order number?").waitFor();
    await page.getByTestId("language-select").selectOption("de-de");
    const dialog = page.getByTestId("confirm-dialog");
    await dialog.waitFor();
    await expect(dialog.textContent()).resolves.toMatch(/Switching to .*\(de-de\) ends this conversation/);
    await page.getByTestId("confirm-cancel").click();
    await expect(dialog.isVisible()).resolves.toBe(false);
    await expect(page.getByTestId("language-select").inputValue()).resolves.toBe("en-us");
    await expect(page.getByTestId("customer-message").count()).resolves.toBe(1);

    // The dev flow waits 30 minutes for an answer; the control runs its timeout path now.
    await expect(page.locator("#flow-info").textContent()).resolves.toContain("Follow-up timeout30 min");
    await page.getByTestId("fire-timeout").click();
    const failure = page.locator('[data-testid=flow-event][data-kind="failure"]');
    await failure.waitFor();
    await expect(failure.textContent()).resolves.toContain("FollowUpResponseTimeout");
    // After the transfer the customer waits for an agent, as in Messenger; the conversation is not "ended".
    await page.getByTestId("waiting-for-agent").waitFor();
    await expect(page.getByTestId("waiting-for-agent").textContent()).resolves.toContain("You are in the queue \u201cAcme Virtual Agent DEV Hand-over\u201d");
    await expect(presence().textContent()).resolves.toBe("Waiting for an agent");
    await expect(page.getByTestId("composer-input").getAttribute("placeholder")).resolves.toBe("Waiting for an agent\u2026");
    await expect(page.getByTestId("conversation-ended").count()).resolves.toBe(0);
    await expect(page.getByTestId("fire-timeout").isDisabled()).resolves.toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, "emulator-waiting-for-agent.png"), fullPage: true });

    // After the end, switching needs no confirmation. Then the other bot: its own languages and greeting.
    await page.getByTestId("language-select").selectOption("de-de");
    await botMessage("Wobei kann ich Ihnen helfen?").waitFor();
    await page.getByTestId("quick-reply").filter({ hasText: "Bestellung verfolgen" }).click();
    await botMessage("Wie lautet Ihre Bestellnummer?").waitFor();
    await page.getByTestId("bot-select").selectOption("pizza");
    await dialog.waitFor();
    await page.getByTestId("confirm-ok").click();
    await botMessage("Welcome to Pizza Palace! What size would you like?").waitFor();
    const languages = page.getByTestId("language-select").locator("option");
    await expect(languages.count()).resolves.toBe(1);
    await expect(languages.getAttribute("value")).resolves.toBe("en-us");
    await expect(page.locator("#bot-name").textContent()).resolves.toBe("Pizza Palace");
    await expect(page.getByTestId("customer-message").count()).resolves.toBe(0);
    await page.getByTestId("quick-reply").filter({ hasText: "Large" }).click();
    await page.locator('[data-testid=flow-event][data-kind="complete"]').filter({ hasText: "PizzaOrdered" }).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "emulator-second-bot.png"), fullPage: true });

    // A reload resumes the conversation with its bot.
    await page.reload();
    await botMessage("A large pizza, coming right up.").waitFor();
    await expect(page.getByTestId("bot-select").inputValue()).resolves.toBe("pizza");
    expect(pageErrors).toEqual([]);
  });
});
