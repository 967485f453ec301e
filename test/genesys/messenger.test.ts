import { domainProblems, messengerBlock, messengerProblems } from "../../components/genesys/messenger/settings";
import { renderTestPage } from "../../components/genesys/messenger/testPage";

const base = { languages: ["en-us"], defaultLanguage: "en-us", allowedDomains: ["www.acme.example"] };

describe("messengerBlock", () => {
  it("defaults: launcher on, conversations auto-start with Markdown, the bot humanized by name, attachments off", () => {
    expect(messengerBlock(base, "Acme Support")).toEqual({
      enabled: true,
      styles: { primaryColor: "#1d5aa6" },
      launcherButton: { visibility: "On", displayType: "Icon" },
      fileUpload: { enableAttachments: false },
      apps: {
        conversations: {
          enabled: true,
          autoStartEnabled: true,
          markdownEnabled: true,
          showAgentTypingIndicator: true,
          showUserTypingIndicator: true,
          conversationClearEnabled: true,
          humanize: { enabled: true, bot: { name: "Acme Support" } },
        },
      },
    });
  });

  it("turns attachments on only when asked, with image types and a size limit", () => {
    const block = messengerBlock({ ...base, attachments: { enabled: true, maxFileSizeKb: 2048 } }, "Bot");
    expect(block.fileUpload).toEqual({ enableAttachments: true, modes: [{ fileTypes: ["image/jpeg", "image/gif", "image/png"], maxFileSizeKb: 2048 }] });
  });

  it("can hide the bot's persona and change the launcher", () => {
    const block = messengerBlock({ ...base, bot: { humanize: false }, launcher: { visibility: "OnDemand", iconUrl: "https://x.example/i.png" } }, "Bot");
    expect(block.apps).toMatchObject({ conversations: { humanize: { enabled: false } } });
    expect(block.launcherButton).toEqual({ visibility: "OnDemand", displayType: "Icon", icon: { url: "https://x.example/i.png" } });
  });
});

describe("messengerProblems", () => {
  it("accepts a valid configuration", () => {
    expect(messengerProblems(base)).toEqual([]);
  });

  it("names each problem with its setting", () => {
    expect(
      messengerProblems({
        languages: ["EN-us"],
        defaultLanguage: "de-de",
        allowedDomains: ["www.acme.example/path"],
        primaryColor: "blue",
        bot: { avatarUrl: "http://insecure.example/a.png" },
        attachments: { enabled: true, fileTypes: ["application/pdf"], maxFileSizeKb: 99999 },
      }).map((p) => p.path),
    ).toEqual(["languages", "defaultLanguage", "allowedDomains", "primaryColor", "bot.avatarUrl", "attachments.fileTypes", "attachments.maxFileSizeKb"]);
  });

  it("allows all domains only as a deliberate, exclusive choice", () => {
    expect(domainProblems([], false)).toEqual(["list the domains that may load the Messenger, or set allowAllDomains deliberately"]);
    expect(domainProblems(["a.example"], true)).toEqual(["must be empty when allowAllDomains is set (Genesys rejects both)"]);
    expect(domainProblems([], true)).toEqual([]);
    expect(domainProblems(["*.acme.example", "localhost", "https://shop.acme.example:8443"], false)).toEqual([]);
  });
});

describe("renderTestPage", () => {
  const snippet = "<script>(function(){ /* genesys bootstrap */ })();</script>";

  it("embeds the snippet unchanged and escapes everything else", () => {
    const html = renderTestPage({ snippet, deploymentId: "dep-1", title: "Acme <dev> & \"test\"", parameters: { customerTier: "Tier <gold>", customerName: "Name" } });
    expect(html).toContain(snippet);
    expect(html).toContain("<title>Acme &lt;dev&gt; &amp; &quot;test&quot;</title>");
    expect(html).toContain("<code>dep-1</code>");
    expect(html.indexOf('name="customerName"')).toBeLessThan(html.indexOf('name="customerTier"'));
    expect(html).toContain("Tier &lt;gold&gt;");
    expect(html).toContain('Genesys("command", "Database.set", { messaging: { customAttributes: customAttributes } })');
  });

  it("is the same for the same input, and has no form without parameters", () => {
    const a = renderTestPage({ snippet, deploymentId: "d", title: "T" });
    expect(renderTestPage({ snippet, deploymentId: "d", title: "T" })).toBe(a);
    expect(a).not.toContain("<form");
  });

  it("refuses a snippet that is not a script loader", () => {
    expect(() => renderTestPage({ snippet: "deployment-id", deploymentId: "d", title: "T" })).toThrow(/<script> loader/);
  });
});
