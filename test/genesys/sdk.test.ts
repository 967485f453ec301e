import { readFileSync } from "node:fs";
import path from "node:path";
import * as genesyscloud from "@pulumi/genesyscloud";
import * as runtime from "@pulumi/pulumi/runtime";
import { parse } from "yaml";
import { isSecretInput, setupMocks, settled, valueOf, type Harness } from "./harness";

const root = path.join(__dirname, "..", "..");
const sdkDir = path.join(root, "sdks", "genesyscloud");
const PARAMETER = { remote: { url: "registry.opentofu.org/mypurecloud/genesyscloud", version: "1.84.1" } };

describe("the local @pulumi/genesyscloud SDK", () => {
  let mocks: Harness;
  const registerPackage = jest.spyOn(runtime, "registerPackage");

  beforeAll(async () => {
    mocks = await setupMocks();
  });

  it("is loaded with the project's only copy of @pulumi/pulumi (two copies would bypass the mocks)", () => {
    const fromSdk = require.resolve("@pulumi/pulumi", { paths: [path.dirname(require.resolve("@pulumi/genesyscloud"))] });
    expect(fromSdk).toBe(require.resolve("@pulumi/pulumi"));
  });

  it("registers resources with the bridged provider's tokens", async () => {
    const created = [
      new genesyscloud.OauthClient("c", { name: "c", authorizedGrantType: "CLIENT-CREDENTIALS", roles: [{ roleId: "r" }] }),
      new genesyscloud.Integration("i", { integrationType: "t", config: { name: "n" } }),
      new genesyscloud.IntegrationCredential("ic", { name: "ic", credentialTypeName: "userDefined", fields: { a: "b" } }),
      new genesyscloud.Flow("f", { filepath: "flow.yaml", name: "F" }),
      new genesyscloud.RoutingQueue("q", { name: "Q" }),
      new genesyscloud.WebdeploymentsConfiguration("wc", { name: "W", languages: ["en-us"], defaultLanguage: "en-us" }),
      new genesyscloud.WebdeploymentsDeployment("wd", { name: "W", configuration: { id: "x" } }),
    ];
    await settled(...created.map((r) => r.urn));
    expect(mocks.resources.map((r) => r.type).sort()).toEqual([
      "genesyscloud:index/flow:Flow",
      "genesyscloud:index/integration:Integration",
      "genesyscloud:index/integrationCredential:IntegrationCredential",
      "genesyscloud:index/oauthClient:OauthClient",
      "genesyscloud:index/routingQueue:RoutingQueue",
      "genesyscloud:index/webdeploymentsConfiguration:WebdeploymentsConfiguration",
      "genesyscloud:index/webdeploymentsDeployment:WebdeploymentsDeployment",
    ]);
    expect(genesyscloud.Flow.isInstance(created[3])).toBe(true);
  });

  it("invokes data sources with their tokens, in plain and output form", async () => {
    mocks.reset();
    const role = await genesyscloud.getAuthRole({ name: "Admin" });
    const queue = await valueOf(genesyscloud.getRoutingQueueOutput({ name: "Support" }));
    expect(role.id).toBe("role-id-of-Admin");
    expect(queue.id).toBe("queue-id-of-Support");
    expect(mocks.calls.map((c) => c.token)).toEqual(["genesyscloud:index/getAuthRole:getAuthRole", "genesyscloud:index/getRoutingQueue:getRoutingQueue"]);
  });

  it("registers the parameterized package: base provider terraform-provider with the genesyscloud parameter", () => {
    expect(registerPackage).toHaveBeenCalled();
    const args = registerPackage.mock.calls[0]![0];
    expect(args).toMatchObject({ baseProviderName: "terraform-provider", baseProviderVersion: "1.1.3", packageName: "genesyscloud", packageVersion: "1.84.1" });
    expect(JSON.parse(Buffer.from(args.base64Parameter, "base64").toString("utf8"))).toEqual(PARAMETER);
  });

  it("marks sensitive inputs secret and passes provider config as the bridge expects", async () => {
    mocks.reset();
    const provider = new genesyscloud.Provider("gc", { oauthclientId: "id", oauthclientSecret: "provider-secret", awsRegion: "eu-central-1", tokenPoolSize: 3 });
    const credential = new genesyscloud.IntegrationCredential("cred", { name: "n", credentialTypeName: "userDefined", fields: { "verify-token": "t" } });
    const client = new genesyscloud.OauthClient("cl", { name: "n", authorizedGrantType: "CLIENT-CREDENTIALS", clientSecret: "s" });
    await settled(provider.urn, credential.urn, client.urn);
    const p = mocks.one("pulumi:providers:genesyscloud");
    expect(isSecretInput(p.inputs.oauthclientSecret)).toBe(true);
    expect(p.inputs.tokenPoolSize).toBe("3");
    expect(isSecretInput(mocks.one("genesyscloud:index/integrationCredential:IntegrationCredential").inputs.fields)).toBe(true);
    expect(isSecretInput(mocks.one("genesyscloud:index/oauthClient:OauthClient").inputs.clientSecret)).toBe(true);
  });

  it("declares the same package in its package.json and in Pulumi.yaml (what pulumi install regenerates)", () => {
    const pkg = JSON.parse(readFileSync(path.join(sdkDir, "package.json"), "utf8")) as {
      name: string;
      version: string;
      main: string;
      scripts: Record<string, string>;
      pulumi: { resource: boolean; name: string; version: string; parameterization: { name: string; version: string; value: string } };
    };
    expect(pkg).toMatchObject({ name: "@pulumi/genesyscloud", version: "1.84.1", main: "bin/index.js", scripts: { postinstall: "node ./scripts/postinstall.js" } });
    expect(pkg.pulumi).toMatchObject({ resource: true, name: "terraform-provider", version: "1.1.3", parameterization: { name: "genesyscloud", version: "1.84.1" } });
    expect(JSON.parse(Buffer.from(pkg.pulumi.parameterization.value, "base64").toString("utf8"))).toEqual(PARAMETER);

    const project = parse(readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { name: string; stackConfigDir: string; packages: Record<string, unknown> };
    expect(project.name).toBe("virtual-agent");
    expect(project.stackConfigDir).toBe("stacks");
    expect(project.packages.genesyscloud).toEqual({ source: "terraform-provider", version: pkg.pulumi.version, parameters: ["mypurecloud/genesyscloud", "1.84.1"] });

    const rootPkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { dependencies: Record<string, string>; allowScripts: Record<string, boolean> };
    expect(rootPkg.dependencies["@pulumi/genesyscloud"]).toBe("file:sdks/genesyscloud");
    expect(rootPkg.allowScripts["file:sdks/genesyscloud"]).toBe(true);
  });
});
