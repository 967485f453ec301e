/**
 * `pulumi preview` with values unknown until deployment: the image is not built on preview (so its
 * digest is unknown), and a platform team's VPC comes from a stack reference. Nothing may hang on an
 * unknown, and every resource must still be planned.
 */
import * as pulumi from "@pulumi/pulumi";
import { HostedService } from "../../components/aws/hostedService";
import { makeBuildContext, removeDir, VERIFY_TOKEN } from "./fixtures";
import { isKnown, type MockCloud, setupMocks } from "./mocks";

let cloud: MockCloud;
let ctx: ReturnType<typeof makeBuildContext>;

beforeAll(async () => {
  cloud = await setupMocks({
    preview: true,
    // As in a real preview: the image is not built (buildOnPreview is off), so it has no digest yet.
    resources: { "docker:index/image:Image": () => ({ repoDigest: undefined }) },
  });
  ctx = makeBuildContext();
});
afterAll(() => removeDir(ctx.root));

it("plans every resource in a preview even though the image digest is unknown", async () => {
  expect(pulumi.runtime.isDryRun()).toBe(true);
  const hosted = await cloud.build(
    () =>
      new HostedService("va-preview", {
        image: { build: { context: ctx.context } },
        secrets: { verifyToken: pulumi.secret(VERIFY_TOKEN) },
        endpoint: { domain: { name: "bot.example.com", hostedZoneId: "Z1" } },
      }),
  );
  expect(await isKnown(hosted.imageRef)).toBe(false);
  expect(await isKnown(hosted.url)).toBe(true);
  for (const type of ["aws:ecs/taskDefinition:TaskDefinition", "aws:ecs/service:Service", "aws:appautoscaling/target:Target", "aws:lb/listener:Listener"]) {
    expect(cloud.ofType(type).length).toBeGreaterThan(0);
  }
  expect(cloud.one("docker:index/image:Image").inputs.buildOnPreview).toBe(false);
});
