/**
 * The Image component under mocks: repository baseline, the docker build's platform and registry
 * credentials, and a digest-pinned reference in every mode.
 */
import fs from "node:fs";
import path from "node:path";
import { contextDigest, contextTag } from "../../components/aws/buildContext";
import { Image, IMAGE_TYPE } from "../../components/aws/image";
import { makeBuildContext, removeDir } from "./fixtures";
import { isSecretInput, json, type MockCloud, plainInput, promiseOf, setupMocks } from "./mocks";

let cloud: MockCloud;
const dirs: string[] = [];
let ctx: ReturnType<typeof makeBuildContext>;

beforeAll(async () => {
  cloud = await setupMocks();
  ctx = makeBuildContext();
  dirs.push(ctx.root);
});
afterAll(() => dirs.forEach(removeDir));

const DIGEST_REF = /^123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/[a-z0-9-]+@sha256:[0-9a-f]{64}$/;

describe("Image", () => {
  it("creates a hardened repository: immutable tags, scan on push, encryption, untagged images expire", async () => {
    await cloud.build(() => new Image("img", { build: { context: ctx.context } }));
    const repo = cloud.one("aws:ecr/repository:Repository").inputs;
    expect(repo.imageTagMutability).toBe("IMMUTABLE");
    expect(repo.imageScanningConfiguration).toEqual({ scanOnPush: true });
    expect(repo.encryptionConfigurations).toEqual([{ encryptionType: "AES256" }]);
    expect(repo.forceDelete).toBe(false);
    const lifecycle = json(cloud.one("aws:ecr/lifecyclePolicy:LifecyclePolicy").inputs.policy);
    expect(lifecycle.rules).toHaveLength(1);
    expect(lifecycle.rules[0].selection).toMatchObject({ tagStatus: "untagged", countNumber: 14 });
  });

  it("encrypts with the given KMS key", async () => {
    await cloud.build(() => new Image("img-kms", { build: { context: ctx.context }, kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/k" }));
    expect(cloud.one("aws:ecr/repository:Repository").inputs.encryptionConfigurations).toEqual([
      { encryptionType: "KMS", kmsKey: "arn:aws:kms:eu-west-1:123456789012:key/k" },
    ]);
  });

  it("builds for linux/amd64 by default, pushes with the ECR token as a secret, tags by content, and outputs the pushed digest", async () => {
    const image = await cloud.build(() => new Image("img-build", { build: { context: ctx.context } }));
    const build = cloud.one("docker:index/image:Image");
    expect(build.inputs.build).toMatchObject({ context: ctx.context, dockerfile: path.join(ctx.context, "Dockerfile"), platform: "linux/amd64" });
    expect(build.inputs.skipPush).toBe(false);
    expect(build.inputs.buildOnPreview).toBe(false);
    // The token's password makes the whole registry block a secret in the state.
    expect(isSecretInput(build.inputs.registry)).toBe(true);
    const registry = plainInput<{ server: string; username: string; password: string }>(build.inputs.registry);
    expect(registry.username).toBe("AWS");
    expect(registry.password).toBe("mock-ecr-password");
    const repoUrl = cloud.one("aws:ecr/repository:Repository").state.repositoryUrl as string;
    expect(registry.server).toBe(repoUrl);
    const tag = contextTag(contextDigest({ context: ctx.context, dockerfile: ctx.dockerfile, settings: { platform: "linux/amd64", target: undefined, args: "{}" } }));
    expect(build.inputs.imageName).toBe(`${repoUrl}:${tag}`);
    expect(cloud.invokes.find((i) => i.token === "aws:ecr/getAuthorizationToken:getAuthorizationToken")?.inputs.registryId).toBe("123456789012");

    const ref = await promiseOf(image.imageRef);
    expect(ref).toMatch(DIGEST_REF);
    expect(ref).toBe(build.state.repoDigest);
    expect(image.cpuArchitecture).toBe("X86_64");
  });

  it("builds for linux/arm64 when the tasks run on ARM64, under another tag", async () => {
    const image = await cloud.build(() => new Image("img-arm", { cpuArchitecture: "ARM64", build: { context: ctx.context } }));
    const build = cloud.one("docker:index/image:Image").inputs;
    expect(build.build.platform).toBe("linux/arm64");
    expect(image.platform).toBe("linux/arm64");
    const amdTag = contextTag(contextDigest({ context: ctx.context, dockerfile: ctx.dockerfile, settings: { platform: "linux/amd64", target: undefined, args: "{}" } }));
    expect(build.imageName).not.toContain(amdTag);
  });

  it("uses a digest pushed by CI instead of building", async () => {
    const digest = `sha256:${"b".repeat(64)}`;
    const image = await cloud.build(() => new Image("img-ci", { prebuiltDigest: digest }));
    expect(cloud.ofType("docker:index/image:Image")).toHaveLength(0);
    expect(cloud.invokes.filter((i) => i.token.startsWith("aws:ecr/getAuthorizationToken"))).toHaveLength(0);
    const ref = await promiseOf(image.imageRef);
    expect(ref).toBe(`${cloud.one("aws:ecr/repository:Repository").state.repositoryUrl}@${digest}`);
    expect(ref).toMatch(DIGEST_REF);
  });

  it("builds the repository's own service/ with service/Dockerfile by default", async () => {
    await cloud.build(() => new Image("img-default", {}));
    expect(cloud.one("docker:index/image:Image").inputs.build).toMatchObject({ context: "service", dockerfile: "service/Dockerfile", platform: "linux/amd64" });
  });

  it("refuses bad arguments before creating anything", async () => {
    cloud.reset();
    const missing = path.join(ctx.root, "nope");
    expect(() => new Image("bad", { prebuiltDigest: "latest" })).toThrow(/prebuiltDigest: must be an image digest/);
    expect(() => new Image("bad", { prebuiltDigest: `sha256:${"c".repeat(64)}`, build: {} })).toThrow(/either build or prebuiltDigest/);
    expect(() => new Image("bad", { build: { context: missing } })).toThrow(/build.context: the build context .* is not a directory/);
    fs.mkdirSync(path.join(ctx.root, "empty"), { recursive: true });
    expect(() => new Image("bad", { build: { context: path.join(ctx.root, "empty") } })).toThrow(/build.dockerfile: the Dockerfile .* does not exist/);
    expect(() => new Image("bad", { build: { context: ctx.context }, repositoryName: "Upper Case" })).toThrow(/repositoryName/);
    expect(() => new Image("bad", { build: { context: ctx.context }, cpuArchitecture: "amd64" as never })).toThrow(/cpuArchitecture: must be X86_64 or ARM64/);
    await cloud.settle();
    expect(cloud.resources.filter((r) => r.type === IMAGE_TYPE || r.custom)).toHaveLength(0);
  });
});
