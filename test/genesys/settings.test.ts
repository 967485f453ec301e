import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { loadBotDefinitions } from "../../service/src/bots/load";
import { listStacks, readStackConfig } from "../../components/genesys/tooling/stackFile";
import { handoverContextRole } from "../../components/genesys/oauthClient";
import { formatProblems, genesysArgsFromSettings, type GenesysSettings, parseGenesysSettings, type RawConfig, serviceClientRoles } from "../../stacks/settings/genesys";

const root = path.join(__dirname, "..", "..");
const definitions = loadBotDefinitions(path.join(root, "service", "bots")).map((b) => b.definition);

const minimal: RawConfig = {
  "genesyscloud:awsRegion": "eu-central-1",
  "virtual-agent:genesysNamePrefix": "Acme VA",
  "virtual-agent:genesysIntegrationTypeId": "type-id",
  "virtual-agent:genesysHandleUtteranceUriProperty": "uriKey",
  "virtual-agent:genesysCredentialSlot": "slot",
  "virtual-agent:genesysCredentialType": "userDefined",
  "virtual-agent:genesysQueueName": "Acme Support",
  "virtual-agent:genesysMessengerAllowedDomains": ["www.acme.example"],
};

describe("the committed stack files", () => {
  it.each(["dev", "staging", "prod"])("%s parses without problems", (stack) => {
    const { config } = readStackConfig(root, stack);
    const { settings, problems } = parseGenesysSettings(config, { stack });
    expect(problems).toEqual([]);
    expect(settings?.region).toBe("eu-central-1");
  });

  it("differ per environment where they should", () => {
    const s = Object.fromEntries(listStacks(root).map((stack) => [stack, parseGenesysSettings(readStackConfig(root, stack).config).settings!]));
    expect(Object.keys(s)).toEqual(["dev", "prod", "staging"]);
    expect(new Set(Object.values(s).map((x) => x.names.integration)).size).toBe(3);
    expect(s.prod!.queue).toEqual({ name: "Acme Support", existing: true });
    expect(s.dev!.queue.existing).toBe(false);
    expect(s.prod!.messenger).toMatchObject({ allowAllDomains: false, allowedDomains: ["www.acme.example", "shop.acme.example"] });
    expect(s.prod!.flow.transferPriority).toBe(10);
  });
});

describe("parseGenesysSettings", () => {
  it("applies documented defaults and derives names from the prefix", () => {
    const { settings } = parseGenesysSettings(minimal);
    expect(settings).toEqual({
      region: "eu-central-1",
      protocol: "v1",
      names: {
        integration: "Acme VA Bot Connector",
        credential: "Acme VA verify token",
        flow: "Acme VA Inbound Message",
        messenger: "Acme VA Messenger",
        serviceClient: "Acme VA service",
        handoverRole: "Acme VA hand-over context",
        repliesRole: "Acme VA replies later",
      },
      botConnector: { integrationTypeId: "type-id", handleUtteranceUriProperty: "uriKey", credentialSlot: "slot", credentialType: "userDefined", verifyTokenHeader: "verify-token", verifyToken: "generated" },
      bot: {},
      queue: { name: "Acme Support", existing: false },
      flow: { followUpTimeout: "PT12H", transferPriority: 0 },
      messenger: { allowedDomains: ["www.acme.example"], allowAllDomains: false, launcher: "On", autoStart: true, attachments: false },
      handoverContext: false,
    });
  });

  it("hand-over context gives the service client a least-privilege custom role, besides any roles configured", () => {
    const on = parseGenesysSettings({ ...minimal, "virtual-agent:genesysHandoverContext": true }).settings;
    expect(on?.handoverContext).toBe(true);
    expect(serviceClientRoles(on as GenesysSettings)).toEqual([handoverContextRole("Acme VA hand-over context")]);
    const both = parseGenesysSettings({ ...minimal, "virtual-agent:genesysHandoverContext": true, "virtual-agent:genesysServiceClientRoles": [{ name: "Reporting" }] }).settings;
    expect(serviceClientRoles(both as GenesysSettings)).toEqual([{ name: "Reporting" }, handoverContextRole("Acme VA hand-over context")]);
    expect(serviceClientRoles(parseGenesysSettings(minimal).settings as GenesysSettings)).toEqual([]);
  });

  it("reports every missing required key with the command that sets it", () => {
    const { settings, problems } = parseGenesysSettings({}, { stack: "dev" });
    expect(settings).toBeUndefined();
    expect(problems.map((p) => p.key)).toEqual([
      "genesyscloud:awsRegion",
      "virtual-agent:genesysNamePrefix",
      "virtual-agent:genesysIntegrationTypeId",
      "virtual-agent:genesysHandleUtteranceUriProperty",
      "virtual-agent:genesysCredentialSlot",
      "virtual-agent:genesysCredentialType",
      "virtual-agent:genesysQueueName",
      "virtual-agent:genesysMessengerAllowedDomains",
    ]);
    expect(problems[0]!.fix).toBe("pulumi config set --stack dev genesyscloud:awsRegion eu-central-1");
    expect(problems[2]!.message).toMatch(/no public source confirms it; run npm run doctor/);
    expect(problems[7]!.fix).toBe("pulumi config set --path --stack dev 'virtual-agent:genesysMessengerAllowedDomains[0]' www.example.com");
    expect(formatProblems(problems)).toContain("fix: pulumi config set --stack dev virtual-agent:genesysQueueName");
  });

  it("explains invalid values", () => {
    const { problems } = parseGenesysSettings({
      ...minimal,
      "genesyscloud:awsRegion": "mars-1",
      "virtual-agent:genesysNamePrefix": 'Acme "VA"',
      "virtual-agent:genesysQueueExisting": "maybe",
      "virtual-agent:genesysTransferPriority": -3,
      "virtual-agent:genesysFollowUpTimeout": "12 hours",
      "virtual-agent:genesysVerifyTokenHeader": "bad header",
      "virtual-agent:genesysVerifyToken": "plain-text-token",
      "virtual-agent:genesysMessengerAllowAllDomains": true,
      "virtual-agent:genesysMessengerLauncher": "Sometimes",
      "virtual-agent:genesysIntentActions": { AgentRequested: { action: "escalate" } },
    });
    const byKey = Object.fromEntries(problems.map((p) => [p.key, p]));
    expect(byKey["genesyscloud:awsRegion"]!.message).toMatch(/"mars-1" is not a Genesys Cloud region/);
    expect(byKey["virtual-agent:genesysNamePrefix"]!.message).toBe("contains a double quote");
    expect(byKey["virtual-agent:genesysQueueExisting"]!.fix).toBe("pulumi config set virtual-agent:genesysQueueExisting true");
    expect(byKey["virtual-agent:genesysTransferPriority"]!.message).toMatch(/whole number from 0/);
    expect(byKey["virtual-agent:genesysFollowUpTimeout"]!.message).toMatch(/not an ISO 8601 duration/);
    expect(byKey["virtual-agent:genesysVerifyTokenHeader"]).toBeDefined();
    expect(byKey["virtual-agent:genesysVerifyToken"]!.fix).toBe("pulumi config set --secret virtual-agent:genesysVerifyToken <token>");
    expect(byKey["virtual-agent:genesysMessengerAllowedDomains"]!.message).toMatch(/must be empty when allowAllDomains is set/);
    expect(byKey["virtual-agent:genesysMessengerLauncher"]).toBeDefined();
    expect(byKey["virtual-agent:genesysIntentActions"]!.fix).toBe("pulumi config set --path virtual-agent:genesysIntentActions.AgentRequested.action transfer");
  });

  it("accepts a decrypted secret from the program when its key is listed as secret", () => {
    const raw = { ...minimal, "virtual-agent:genesysVerifyToken": "decrypted-token-value" };
    expect(parseGenesysSettings(raw).problems.map((p) => p.key)).toEqual(["virtual-agent:genesysVerifyToken"]);
    const { settings } = parseGenesysSettings(raw, { secretKeys: ["virtual-agent:genesysVerifyToken"] });
    expect(settings?.botConnector.verifyToken).toBe("config");
    expect(JSON.stringify(settings)).not.toContain("decrypted-token-value");
  });

  it("reads structured values given as JSON text (as pulumi.Config returns them) and secure values", () => {
    const { settings, problems } = parseGenesysSettings({
      ...minimal,
      "virtual-agent:genesysMessengerAllowedDomains": '["a.example","b.example"]',
      "virtual-agent:genesysIntentActions": '{"Goodbye":{"action":"transfer","priority":3}}',
      "virtual-agent:genesysServiceClientRoles": [{ name: "VA Service", divisionId: "*" }, { id: "r-1" }],
      "virtual-agent:genesysVerifyToken": { secure: "v1:abc" },
      "virtual-agent:genesysQueueExisting": "true",
    });
    expect(problems).toEqual([]);
    expect(settings?.messenger.allowedDomains).toEqual(["a.example", "b.example"]);
    expect(settings?.flow.intentActions).toEqual({ Goodbye: { action: "transfer", priority: 3 } });
    expect(settings?.serviceClient?.roles).toEqual([{ name: "VA Service", divisionId: "*" }, { id: "r-1" }]);
    expect(settings?.botConnector.verifyToken).toBe("config");
    expect(settings?.queue.existing).toBe(true);
  });
});

describe("genesysArgsFromSettings", () => {
  const { settings } = parseGenesysSettings({ ...minimal, "virtual-agent:genesysVerifyToken": { secure: "v1:abc" } });

  it("requires the secret token when the settings take it from config", () => {
    expect(() => genesysArgsFromSettings(settings!, { serviceUrl: "https://x", definitions })).toThrow(/pass it \(config.requireSecret\) as verifyToken/);
  });

  it("maps settings to the composition's args", () => {
    const args = genesysArgsFromSettings(settings!, { serviceUrl: "https://x", definitions, verifyToken: pulumi.secret("t") });
    expect(args.names.flow).toBe("Acme VA Inbound Message");
    expect(args.botConnector.type).toEqual({ integrationTypeId: "type-id", handleUtteranceUriProperty: "uriKey", credentialSlot: "slot", credentialType: "userDefined" });
    expect(args.queue).toEqual({ queueName: "Acme Support", existing: false });
    expect(args.messenger).toMatchObject({ allowedDomains: ["www.acme.example"], allowAllDomains: false, attachments: { enabled: false } });
    expect(args.botListApi).toEqual({ region: "eu-central-1" });
    expect(args.serviceClient).toBeUndefined();
  });
});
