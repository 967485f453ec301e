/**
 * The first `pulumi preview` of a stack: nothing exists yet, so every id and computed value (the API's URL, the
 * image digest, the integration id, the Messenger snippet ...) is unknown. The program must still plan every
 * resource it would create, without waiting on any of those values.
 */
import * as pulumi from "@pulumi/pulumi";
import { type CapturedResource, isKnown } from "../aws/mocks";
import { runStack, type StackRun } from "./harness";

const planned = (run: StackRun) =>
  run.cloud.resources
    .map((r: CapturedResource) => `${r.type} ${r.name}`)
    .sort();

const known = (run: StackRun, name: string) => isKnown(pulumi.output(run.outputs[name]));

describe.each([
  ["dev", "api-gateway"],
  ["prod", "custom-domain"],
] as const)("the first preview of the %s stack (%s)", (stack, mode) => {
  let deployed: StackRun;
  let preview: StackRun;

  beforeAll(async () => {
    deployed = await runStack(stack);
    preview = await runStack(stack, { firstPreview: true });
  });

  it("plans exactly the resources a deployment creates", () => {
    expect(pulumi.runtime.isDryRun()).toBe(true);
    expect(preview.cloud.resources.filter((r) => r.type !== "pulumi:pulumi:StackReference").every((r) => r.id === "")).toBe(true);
    expect(planned(preview)).toEqual(planned(deployed));
  });

  it("leaves what only a deployment knows unknown, and the rest known", async () => {
    for (const name of ["integrationId", "flowId", "messengerDeploymentId", "messengerSnippet", "testPageHtml", "imageRef", "sessionTableName"]) {
      expect([name, await known(preview, name)]).toEqual([name, false]);
    }
    for (const name of ["genesysRegion", "awsRegion", "endpointMode"]) expect([name, await known(preview, name)]).toEqual([name, true]);
  });

  it(
    mode === "api-gateway"
      ? "plans the integration before its URI is known: API Gateway's URL exists only after the deployment"
      : "shows the integration's URI in the preview: a custom domain's URL is known before anything exists",
    async () => {
      const integration = preview.cloud.one("genesyscloud:index/integration:Integration").inputs;
      expect(integration.intendedState).toBe("ENABLED");
      expect(await known(preview, "serviceUrl")).toBe(mode === "custom-domain");
      expect(await known(preview, "handleUtteranceUri")).toBe(mode === "custom-domain");
      if (mode === "api-gateway") expect(pulumi.isUnknown(integration.config?.properties) || pulumi.isUnknown(integration.config)).toBe(true);
      else expect(JSON.parse(integration.config.properties as string)).toEqual({ botConnectorHandleUtteranceUri: "https://bot.acme.example/botconnector/messages" });
    },
  );
});
