import { Writable } from "node:stream";
import { GenesysPlatformClient } from "../../service/src/genesys";
import { requiredPermissions } from "../../components/genesys/tooling/permissions";
import { main, runDoctor } from "../../scripts/doctor";
import { parseGenesysSettings, type GenesysSettings } from "../../stacks/settings/genesys";
import { FAKE_BOT_CONNECTOR_TYPE, FakeGenesysPlatform } from "../fakes/genesysPlatform";

/** Settings whose Bot Connector wiring matches the fake's catalog. */
function settingsFor(overrides: Partial<GenesysSettings["botConnector"]> = {}, extra: Record<string, unknown> = {}): GenesysSettings {
  const { settings } = parseGenesysSettings({
    "genesyscloud:awsRegion": "eu-central-1",
    "virtual-agent:genesysNamePrefix": "Acme VA",
    "virtual-agent:genesysIntegrationTypeId": FAKE_BOT_CONNECTOR_TYPE.id,
    "virtual-agent:genesysHandleUtteranceUriProperty": "fakeHandleUtteranceUri",
    "virtual-agent:genesysCredentialSlot": "fakeCredentialSlot",
    "virtual-agent:genesysCredentialType": "userDefined",
    "virtual-agent:genesysQueueName": "Acme Support",
    "virtual-agent:genesysMessengerAllowedDomains": ["www.acme.example"],
    ...extra,
  });
  return { ...settings!, botConnector: { ...settings!.botConnector, ...overrides } };
}

const everything = requiredPermissions({ createQueue: true, serviceClient: true, rolesByName: true }).flatMap((g) => g.permissions);

describe("doctor against the fake Platform API", () => {
  let fake: FakeGenesysPlatform;
  const api = (clientId = "deployer") => new GenesysPlatformClient({ apiBaseUrl: fake.url, credentials: { clientId, clientSecret: `${clientId}-secret` } });

  beforeAll(async () => {
    fake = await FakeGenesysPlatform.start();
    fake.addIntegrationType({ id: "digital-bot-connector", name: "Digital Bot Connector", properties: {}, credentials: {} });
    fake.addIntegrationType({ id: "custom-rest-actions", name: "Web Services Data Actions", properties: {}, credentials: { basicAuth: ["basicAuth"] } });
    fake.addRole({ id: "deployer-role", name: "Deployer", permissions: [...everything, "oauth:client:view", "authorization:role:view"] });
    fake.addRole({ id: "partial-role", name: "Partial", permissions: ["integrations:*:*", "oauth:client:view", "authorization:role:view"] });
    fake.addClient({ clientId: "deployer", clientSecret: "deployer-secret", name: "Pulumi deployer", roleIds: ["deployer-role"] });
    fake.addClient({ clientId: "partial", clientSecret: "partial-secret", name: "Half deployer", roleIds: ["partial-role"] });
    fake.addRole({ id: "blind-role", name: "Blind", permissions: ["integrations:integration:view"] });
    fake.addClient({ clientId: "blind", clientSecret: "blind-secret", roleIds: ["blind-role"] });
  });
  afterAll(() => fake.close());

  it("finds nothing wrong when the stack matches the org", async () => {
    const findings = await runDoctor(api(), settingsFor(), "dev");
    expect(findings.filter((f) => f.level !== "ok")).toEqual([]);
    expect(findings.map((f) => f.check)).toEqual(["integration type", "Handle Utterance URI property", "credential slot and type", "deployer permissions"]);
  });

  it("a wrong integration type id: lists the Bot Connector types and the command that sets the right one", async () => {
    const findings = await runDoctor(api(), settingsFor({ integrationTypeId: "genesys-botconnector" }), "dev");
    const problem = findings.find((f) => f.check === "integration type")!;
    expect(problem.level).toBe("problem");
    expect(problem.detail).toBe(
      'the org has no integration type "genesys-botconnector"; its Bot Connector types are fake-bot-connector ("Genesys Bot Connector"), digital-bot-connector ("Digital Bot Connector")',
    );
    expect(problem.fix).toBe("pulumi config set --stack dev virtual-agent:genesysIntegrationTypeId fake-bot-connector");
  });

  it("a type that exists but is not a Bot Connector is a warning with the likely fix", async () => {
    const findings = await runDoctor(api(), settingsFor({ integrationTypeId: "custom-rest-actions" }), "dev");
    expect(findings.find((f) => f.check === "integration type")).toMatchObject({ level: "warning", fix: "pulumi config set --stack dev virtual-agent:genesysIntegrationTypeId fake-bot-connector" });
  });

  it("a wrong property key: names the type's properties and suggests the URI one", async () => {
    const findings = await runDoctor(api(), settingsFor({ handleUtteranceUriProperty: "botConnectorHandleUtteranceUri" }), "staging");
    expect(findings.find((f) => f.check === "Handle Utterance URI property")).toEqual({
      level: "problem",
      check: "Handle Utterance URI property",
      detail: 'fake-bot-connector has no config property "botConnectorHandleUtteranceUri"; its properties are fakeHandleUtteranceUri ("Bot Connector Handle Utterance URI")',
      fix: "pulumi config set --stack staging virtual-agent:genesysHandleUtteranceUriProperty fakeHandleUtteranceUri",
    });
  });

  it("a wrong credential slot: lists the slots", async () => {
    const findings = await runDoctor(api(), settingsFor({ credentialSlot: "userDefined" }), "dev");
    expect(findings.find((f) => f.check === "credential slot")).toMatchObject({
      level: "problem",
      detail: 'fake-bot-connector has no credential slot "userDefined"; its slots are fakeCredentialSlot (accepts userDefined)',
      fix: "pulumi config set --stack dev virtual-agent:genesysCredentialSlot fakeCredentialSlot",
    });
  });

  it("a credential type the slot does not accept, or the org does not have", async () => {
    const findings = await runDoctor(api(), settingsFor({ credentialType: "basicAuth" }), "dev");
    expect(findings.find((f) => f.check === "credential type")).toMatchObject({
      level: "problem",
      detail: 'slot "fakeCredentialSlot" of fake-bot-connector accepts userDefined, not "basicAuth"',
      fix: "pulumi config set --stack dev virtual-agent:genesysCredentialType userDefined",
    });
    const unknown = await runDoctor(api(), settingsFor({ credentialType: "headerToken" }), "dev");
    expect(unknown.filter((f) => f.check === "credential type").map((f) => f.detail)).toContain(
      'the org has no integration credential type "headerToken" (it has basicAuth, userDefined, userDefinedOAuth, pureCloudOAuthClient)',
    );
  });

  it("missing deployer permissions: named per part of the stack", async () => {
    const findings = await runDoctor(api("partial"), settingsFor(), "dev");
    const missing = findings.filter((f) => f.check === "deployer permissions");
    expect(missing.every((f) => f.level === "problem")).toBe(true);
    expect(missing.map((f) => f.detail)).toContain('OAuth client "Half deployer" (partial) lacks, for the bot list: integration:botconnector:edit, integration:botconnector:view');
    expect(missing.map((f) => f.detail)).toContain(
      'OAuth client "Half deployer" (partial) lacks, for the hand-over queue (created): routing:queue:add, routing:queue:delete, routing:queue:edit, routing:queue:readonly, routing:queue:view, routing:queueMember:manage',
    );
    expect(missing.some((f) => f.detail.includes("integrations:integration"))).toBe(false);
  });

  it("an existing queue needs only view, a service client needs grant permissions", () => {
    const groups = requiredPermissions({ createQueue: false, serviceClient: true, rolesByName: false });
    expect(groups.find((g) => g.part.startsWith("hand-over queue"))!.permissions).toEqual(["routing:queue:view"]);
    expect(groups.find((g) => g.part === "service OAuth client")!.permissions).toContain("authorization:grant:add");
  });

  it("permissions that cannot be read are a warning, not a failure", async () => {
    const findings = await runDoctor(api("blind"), settingsFor(), "dev");
    expect(findings.find((f) => f.check === "deployer permissions")).toMatchObject({
      level: "warning",
      detail: "not checked: reading the client's roles was refused (403 missing.permissions)",
    });
  });

  it("npm run doctor: exit 0 on a match, 1 on problems, 2 without credentials; never prints the secret", async () => {
    let text = "";
    const out = new Writable({
      write(chunk, _enc, done) {
        text += String(chunk);
        done();
      },
    });
    const stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      const env = { GENESYSCLOUD_OAUTHCLIENT_ID: "deployer", GENESYSCLOUD_OAUTHCLIENT_SECRET: "deployer-secret", DOCTOR_API_BASE_URL: fake.url };
      // The committed dev stack uses the unconfirmed guesses, which the fake's catalog does not have.
      expect(await main(["dev"], env, out)).toBe(1);
      expect(text).toContain("PROBLEM  integration type");
      expect(text).toContain("fix: pulumi config set --stack dev virtual-agent:genesysIntegrationTypeId fake-bot-connector");
      expect(text).not.toContain("deployer-secret");
      expect(await main(["dev"], {}, out)).toBe(2);
      expect(stderr.mock.calls.map((c) => String(c[0])).join("")).toContain("set GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET");
      expect(await main(["nope"], env, out)).toBe(2);
    } finally {
      stderr.mockRestore();
    }
  });
});
