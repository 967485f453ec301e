import path from "node:path";
import { type Page } from "playwright-core";
import { startService, TOKEN, type TestService } from "../service/harness";
import { TURN_ROUTE } from "../../service/src/server";
import { startEmulator, type RunningEmulator } from "../emulator/harness";
import { ARTIFACTS, type Browser, describeInChromium, openChromium } from "./chromium";

jest.setTimeout(90_000);

describeInChromium("chat page", () => {
  let svc: TestService;
  let emu: RunningEmulator;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    svc = await startService({}, { now: () => new Date("2026-11-24T10:00:00Z") });
    emu = await startEmulator({ url: svc.url + TURN_ROUTE, credentials: { "verify-token": TOKEN } }, { messenger: { botDisplayName: "Ava (dev)", primaryColor: "#1d5aa6" } });
    browser = await openChromium();
    ({ page, pageErrors } = browser);
  });

  afterAll(async () => {
    await browser?.close();
    await emu?.close();
    await svc?.close();
  });

  const botMessage = (text: string) => page.getByTestId("bot-message").filter({ hasText: text });

  test("chat through quick replies, a carousel card button and a hand-over; channel notices; switch language", async () => {
    await page.goto(emu.url + "/");
    await botMessage("What can I help you with?").waitFor();
    await expect(page.title()).resolves.toBe("Ava (dev) — Genesys emulator");
    await expect(page.getByTestId("quick-reply").allTextContents()).resolves.toEqual(["Track an order", "Return an item", "Talk to an agent", "Nothing, thanks"]);

    await page.getByTestId("quick-reply").filter({ hasText: "Return an item" }).click();
    await botMessage("Which order is the return for?").waitFor();
    // Quick replies of an answered question are gone, as in Messenger.
    await expect(page.getByTestId("quick-reply").count()).resolves.toBe(0);

    const composer = page.getByTestId("composer-input");
    await composer.fill("A-55555");
    await page.getByTestId("send-button").click();
    await page.getByTestId("quick-reply").filter({ hasText: "Wrong size" }).click();
    await botMessage("How many items").waitFor();
    await composer.fill("2");
    await composer.press("Enter");

    const carousel = page.getByTestId("carousel");
    await carousel.waitFor();
    await expect(carousel.getByTestId("card").count()).resolves.toBe(2);
    await page.screenshot({ path: path.join(ARTIFACTS, "emulator-chat-carousel.png"), fullPage: true });
    await carousel.getByTestId("card-button").filter({ hasText: "Take store credit" }).click();
    await botMessage("When should our courier pick it up?").waitFor();
    await expect(page.getByTestId("customer-message").last().textContent()).resolves.toBe("Take store credit");

    await composer.fill("I want to talk to an agent");
    await page.getByTestId("send-button").click();
    const transfer = page.locator('[data-testid=flow-event][data-kind="transfer"]');
    await transfer.waitFor();
    await expect(transfer.textContent()).resolves.toContain("Transferred to queue “Acme Virtual Agent DEV Hand-over” (priority 0)");
    await expect(transfer.getByTestId("transfer-data").textContent()).resolves.toContain("virtualAgent.intentAgentRequested");
    await expect(page.locator('[data-testid=flow-event][data-kind="complete"]').textContent()).resolves.toContain("Bot completed with intent AgentRequested");
    await expect(page.getByTestId("waiting-for-agent").textContent()).resolves.toContain("Waiting for an agent");
    await expect(composer.isDisabled()).resolves.toBe(true);
    await expect(page.getByTestId("calls").locator("li").count()).resolves.toBe(7);
    await page.screenshot({ path: path.join(ARTIFACTS, "emulator-chat.png"), fullPage: true });

    // The carousel is fine on web messaging but refused on WhatsApp.
    await expect(page.getByTestId("channel-notice").count()).resolves.toBe(0);
    await page.getByTestId("channel-select").selectOption("whatsapp");
    await expect(page.getByTestId("channel-notice").filter({ hasText: "WhatsApp does not support carousels" }).count()).resolves.toBe(1);
    await page.getByTestId("channel-select").selectOption("sms");
    await expect(page.getByTestId("channel-notice").filter({ hasText: "SMS carries text only" }).count()).resolves.toBeGreaterThan(0);
    await page.screenshot({ path: path.join(ARTIFACTS, "emulator-chat-sms.png"), fullPage: true });
    await page.getByTestId("channel-select").selectOption("webmessaging");

    // A new conversation in German, with participant data for the flow.
    await page.getByTestId("participant-customerName").fill("Ada");
    await page.getByTestId("language-select").selectOption("de-de");
    await botMessage("Hallo Ada!").waitFor();
    await botMessage("Wobei kann ich Ihnen helfen?").waitFor();
    await expect(page.getByTestId("flow-event").filter({ hasText: "Transferred" }).count()).resolves.toBe(0);
    await expect(page.getByTestId("quick-reply").allTextContents()).resolves.toEqual(["Bestellung verfolgen", "Artikel zurückgeben", "Mit einem Menschen sprechen", "Nichts, danke"]);
    await page.getByTestId("quick-reply").filter({ hasText: "Nichts, danke" }).click();
    await page.locator('[data-testid=flow-event][data-kind="disconnect"]').waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "emulator-chat-de.png"), fullPage: true });

    // "New conversation" starts over in the selected language.
    await page.getByTestId("new-conversation").click();
    await botMessage("Wobei kann ich Ihnen helfen?").waitFor();
    await expect(page.getByTestId("customer-message").count()).resolves.toBe(0);
    expect(pageErrors).toEqual([]);
  });

  test("German: a no-match hand-over, a finished order's card button disabled, then a technical failure, never an English word", async () => {
    const composer = page.getByTestId("composer-input");
    const say = async (text: string) => {
      await composer.fill(text);
      await page.getByTestId("send-button").click();
    };
    const english = /\b(sorry|the|you|please|colleague|technical|order)\b/i;
    // What the customer reads: the bubbles (the emulator's own annotations, such as the sender line, are not shown by Genesys).
    const customerView = async () => page.getByTestId("bot-message").locator(".bubble").allTextContents();

    await page.goto(emu.url + "/");
    await page.getByTestId("participant-customerName").fill("");
    await page.getByTestId("language-select").selectOption("de-de");
    await botMessage("Wobei kann ich Ihnen helfen?").waitFor();
    for (const text of ["lila", "Elefanten", "tanzen"]) await say(text);
    await botMessage("Ich habe Schwierigkeiten, Sie zu verstehen.").waitFor();
    const transfer = page.locator('[data-testid=flow-event][data-kind="transfer"]');
    await transfer.waitFor();
    // A designed hand-over: the Handover intent's path, the reason for the agent, no message from the failure path.
    await expect(page.locator('[data-testid=flow-event][data-kind="complete"]').textContent()).resolves.toContain("Bot completed with intent Handover");
    await expect(transfer.getByTestId("transfer-data").textContent()).resolves.toContain("menu not understood after 3 attempts");
    await expect(page.locator('[data-testid=flow-event][data-kind="failure"]').count()).resolves.toBe(0);
    await expect(page.locator('[data-testid=bot-message][data-origin="flow"]').count()).resolves.toBe(0);
    expect((await customerView()).filter((t) => english.test(t))).toEqual([]);
    await page.screenshot({ path: path.join(ARTIFACTS, "emulator-chat-de-handover.png"), fullPage: true });

    // The order card's "Rücksendung starten" works while the bot waits, and is disabled once the conversation ended.
    await page.getByTestId("new-conversation").click();
    await page.getByTestId("quick-reply").filter({ hasText: "Bestellung verfolgen" }).click();
    await say("A-12345");
    await botMessage("Kann ich Ihnen sonst noch helfen?").waitFor();
    const returnButton = page.getByTestId("card-button").filter({ hasText: "Rücksendung starten" });
    await expect(returnButton.isEnabled()).resolves.toBe(true);
    await page.getByTestId("quick-reply").filter({ hasText: "Nein" }).click();
    await page.locator('[data-testid=flow-event][data-kind="disconnect"]').waitFor();
    await expect(returnButton.isDisabled()).resolves.toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, "emulator-chat-de-ended-card.png"), fullPage: true });

    // A technical failure: the service goes away mid-conversation; the flow apologises in German and says why.
    await page.getByTestId("new-conversation").click();
    await botMessage("Wobei kann ich Ihnen helfen?").waitFor();
    await svc.close();
    await say("Rückgabe");
    const apology = page.locator('[data-testid=bot-message][data-origin="flow"]');
    await apology.waitFor();
    await expect(apology.textContent()).resolves.toContain("Entschuldigung, ich habe ein technisches Problem. Ich verbinde Sie mit einem Kollegen.");
    const failedTransfer = page.locator('[data-testid=flow-event][data-kind="transfer"]');
    await expect(failedTransfer.getByTestId("transfer-data").textContent()).resolves.toMatch(/virtualAgent\.outcome\s*failure/);
    await expect(failedTransfer.getByTestId("transfer-data").textContent()).resolves.toContain("technical failure");
    expect((await customerView()).filter((t) => english.test(t))).toEqual([]);
    await page.screenshot({ path: path.join(ARTIFACTS, "emulator-chat-de-failure.png"), fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
