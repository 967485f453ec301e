/**
 * The chat page in chromium with the emulator playing the Digital Bot Connector: a conversation whose answer
 * arrives later. The customer's question is answered "one moment" at once, a progress message follows, and the
 * answer arrives through the outgoing messages API and ends the bot session; the page shows each as it arrives and
 * lists the outgoing messages with the calls. Time is the service's ManualClock and the slow agent's gate: the test
 * says when the reply window has passed and when the progress message is due; it never sleeps.
 */
import path from "node:path";
import { type Page } from "playwright-core";
import { createEmulator, type Emulator } from "../../emulator/emulator";
import { connectDigital, protocolSynthOverrides } from "../../emulator/digital/local";
import { EmulatorPlatform } from "../../emulator/digital/platform";
import { readStackConfig } from "../../components/genesys/tooling/stackFile";
import { synthStack } from "../../scripts/synth";
import { SampleUpstreamAgent } from "../fixtures/upstreamAgent";
import { ASSISTANT_TOKEN, DIGITAL_BOTS, digitalServiceEnv, holdNextAgentCall, SERVICE_CLIENT } from "../digital/harness";
import { startService, TOKEN, type TestService } from "../service/harness";
import { ManualClock } from "../support/manualClock";
import { ARTIFACTS, type Browser, describeInChromium, openChromium } from "./chromium";

const ROOT = path.join(__dirname, "..", "..");

describeInChromium("chat page: a reply that comes later (Digital Bot Connector)", () => {
  let platform: EmulatorPlatform;
  let agent: SampleUpstreamAgent;
  let svc: TestService;
  let emulator: Emulator;
  let url: string;
  let browser: Browser;
  let page: Page;
  const clock = new ManualClock();

  beforeAll(async () => {
    platform = await EmulatorPlatform.start({ client: SERVICE_CLIENT });
    agent = await SampleUpstreamAgent.start({ type: "bearer", token: ASSISTANT_TOKEN });
    svc = await startService(digitalServiceEnv(platform.url, agent.url), { laterClock: clock });
    const overrides = { ...protocolSynthOverrides("v2", readStackConfig(ROOT, "dev").config), "virtual-agent:genesysBotId": "acme-assistant" };
    const flowYaml = synthStack({ projectDir: ROOT, stack: "dev", botsDir: DIGITAL_BOTS, overrides }).files["architect-flow.yaml"];
    const { endpoint, manifest } = await connectDigital(svc.url, { "verify-token": TOKEN });
    emulator = createEmulator({ flowYaml, botConnector: endpoint, digital: { manifest, platform }, messenger: { botDisplayName: "Ava (dev)" } });
    url = await emulator.listen(0);
    browser = await openChromium();
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await emulator?.close();
    await svc?.close();
    await agent?.close();
    await platform?.stop();
  });

  const botMessage = (text: string) => page.getByTestId("bot-message").filter({ hasText: text });

  test("'one moment' at once, a progress message, then the answer, each shown as it arrives", async () => {
    await page.goto(url + "/");
    await botMessage("What's your order number?").waitFor();
    await expect(page.getByTestId("flow-name").textContent()).resolves.toContain("Digital Bot Connector");
    await expect(page.locator("#calls-hint").textContent()).resolves.toContain("outgoing message");

    const { slow, arrived } = holdNextAgentCall(agent);
    await page.getByTestId("composer-input").fill("where is A-12345?");
    await page.getByTestId("send-button").click();
    await arrived;
    clock.release("reply-window");
    await botMessage("One moment, I'm looking into it.").waitFor();

    await clock.next("progress");
    await botMessage("Still working on it, thanks for your patience.").waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "emulator-digital-waiting.png"), fullPage: true });

    slow.open();
    await page.getByTestId("card").filter({ hasText: "Order A-12345" }).waitFor();
    await page.locator('[data-testid=flow-event][data-kind="complete"]').waitFor();
    await expect(page.locator('[data-testid=flow-event][data-kind="complete"]').textContent()).resolves.toContain("OrderStatus");
    await expect(page.getByTestId("conversation-ended").getAttribute("data-reason")).resolves.toBe("disconnect");
    await expect(page.getByTestId("outgoing-call").count()).resolves.toBe(2);
    await page.screenshot({ path: path.join(ARTIFACTS, "emulator-digital.png"), fullPage: true });
    expect(browser.pageErrors).toEqual([]);
  });
});
