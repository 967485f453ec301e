import fs from "node:fs";
import * as aws from "@pulumi/aws";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { contextDigest, contextTag } from "./buildContext";
import { type CpuArchitecture, dockerPlatform, isCpuArchitecture } from "./platform";
import { checkInteger, childTags, failOnProblems, Problems } from "./validation";

export const IMAGE_TYPE = "virtual-agent:aws:Image";

const DIGEST = /^sha256:[0-9a-f]{64}$/;

export interface ImageBuildArgs {
  /** Build context directory, relative to the Pulumi project (default `service`; its `.dockerignore` keeps it small). */
  context?: string;
  /** Dockerfile path, relative to the Pulumi project (default `<context>/Dockerfile`). */
  dockerfile?: string;
  /** Multi-stage target to build (default: the last stage). */
  target?: string;
  /** Build arguments (not secret: they are recorded in the image history and the Pulumi state). */
  args?: Record<string, string>;
  /**
   * Build (without pushing) during `pulumi preview` too (default false). Turn on in the pull-request
   * preview job when it has Docker, to catch a broken Dockerfile before merge.
   */
  buildOnPreview?: boolean;
}

export interface ImageArgs {
  /**
   * CPU architecture of the image and of the tasks that run it (default `X86_64`). Drives the build's
   * `--platform` (`linux/amd64` or `linux/arm64`) and, through `cpuArchitecture`, the task's runtime platform.
   */
  cpuArchitecture?: CpuArchitecture;
  /** Build the image from source with Docker and push it (the default, with the defaults of ImageBuildArgs). */
  build?: ImageBuildArgs;
  /**
   * Instead of building: the digest (`sha256:<64 hex>`) of an image a separate CI step already pushed to
   * this component's repository (`repositoryUrl`), built for `cpuArchitecture`. Previews then need no Docker.
   */
  prebuiltDigest?: string;
  /** Repository name (default: derived from the component name with a random suffix). */
  repositoryName?: string;
  /** KMS key ARN to encrypt images with (default: AES256, ECR's own encryption). */
  kmsKeyArn?: pulumi.Input<string>;
  /** Days after which untagged images (left by interrupted pushes) are expired (default 14). */
  untaggedImageExpiryDays?: number;
  /** Delete the repository even when it still holds images, on `pulumi destroy` (default false). */
  forceDelete?: boolean;
  /** Tags for the repository. */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** Validates ImageArgs without touching the cloud (the build context is read from disk). */
export function validateImageArgs(args: ImageArgs, problems = new Problems()): Problems {
  if (args.cpuArchitecture !== undefined && !isCpuArchitecture(args.cpuArchitecture)) {
    problems.add("cpuArchitecture", `must be X86_64 or ARM64, got ${String(args.cpuArchitecture)}`);
  }
  if (args.prebuiltDigest !== undefined) {
    if (args.build !== undefined) problems.add("prebuiltDigest", "give either build or prebuiltDigest, not both");
    problems.require(DIGEST.test(args.prebuiltDigest), "prebuiltDigest", `must be an image digest sha256:<64 lowercase hex>, got "${args.prebuiltDigest}"`);
  } else {
    const { context, dockerfile } = buildPaths(args.build);
    if (!fs.existsSync(context) || !fs.statSync(context).isDirectory()) problems.add("build.context", `the build context ${context} is not a directory`);
    else if (!fs.existsSync(dockerfile)) problems.add("build.dockerfile", `the Dockerfile ${dockerfile} does not exist`);
  }
  if (args.repositoryName !== undefined) {
    problems.require(
      /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/.test(args.repositoryName) && args.repositoryName.length <= 256,
      "repositoryName",
      `"${args.repositoryName}" is not a valid ECR repository name (lowercase letters, digits, . _ - and /)`,
    );
  }
  checkInteger(problems, "untaggedImageExpiryDays", args.untaggedImageExpiryDays, 1, 3650);
  return problems;
}

function buildPaths(build: ImageBuildArgs | undefined): { context: string; dockerfile: string } {
  const context = build?.context ?? "service";
  return { context, dockerfile: build?.dockerfile ?? `${context}/Dockerfile` };
}

/** ECR's lifecycle policy: expire untagged images; tagged ones are kept, as running task definitions pin them. */
export function lifecyclePolicy(untaggedDays: number): string {
  return JSON.stringify({
    rules: [
      {
        rulePriority: 1,
        description: `Expire untagged images ${untaggedDays} days after push`,
        selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: untaggedDays },
        action: { type: "expire" },
      },
    ],
  });
}

/**
 * The service image: a private ECR repository with immutable tags, scan on push, encryption and a
 * lifecycle policy, and the image built from `service/` for one explicit platform and pushed there
 * (or a digest pushed by CI). `imageRef` is always digest-pinned (`repo@sha256:…`): ECS deploys exactly
 * that image, and a new build changes the task definition, so ECS rolls the service.
 */
export class Image extends pulumi.ComponentResource {
  readonly repository: aws.ecr.Repository;
  readonly dockerImage: docker.Image | undefined;
  readonly repositoryUrl: pulumi.Output<string>;
  readonly repositoryArn: pulumi.Output<string>;
  /** `<repositoryUrl>@sha256:<digest>`: what the task definition runs. */
  readonly imageRef: pulumi.Output<string>;
  readonly cpuArchitecture: CpuArchitecture;
  /** The docker platform, e.g. `linux/amd64`. */
  readonly platform: string;

  constructor(name: string, args: ImageArgs, opts?: pulumi.ComponentResourceOptions) {
    failOnProblems(IMAGE_TYPE, name, validateImageArgs(args));
    super(IMAGE_TYPE, name, {}, opts);

    this.cpuArchitecture = args.cpuArchitecture ?? "X86_64";
    this.platform = dockerPlatform(this.cpuArchitecture);

    this.repository = new aws.ecr.Repository(
      `${name}-repo`,
      {
        ...(args.repositoryName ? { name: args.repositoryName } : {}),
        imageTagMutability: "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfigurations: [args.kmsKeyArn ? { encryptionType: "KMS", kmsKey: args.kmsKeyArn } : { encryptionType: "AES256" }],
        forceDelete: args.forceDelete ?? false,
        tags: childTags(args.tags),
      },
      { parent: this },
    );
    new aws.ecr.LifecyclePolicy(
      `${name}-lifecycle`,
      { repository: this.repository.name, policy: lifecyclePolicy(args.untaggedImageExpiryDays ?? 14) },
      { parent: this },
    );
    this.repositoryUrl = this.repository.repositoryUrl;
    this.repositoryArn = this.repository.arn;

    if (args.prebuiltDigest !== undefined) {
      this.dockerImage = undefined;
      this.imageRef = pulumi.interpolate`${this.repository.repositoryUrl}@${args.prebuiltDigest}`;
    } else {
      const { context, dockerfile } = buildPaths(args.build);
      // The tag is the content digest: immutable tags can be pushed once, so it changes exactly when the image would.
      const tag = contextTag(
        contextDigest({
          context,
          dockerfile,
          settings: { platform: this.platform, target: args.build?.target, args: JSON.stringify(sortedRecord(args.build?.args ?? {})) },
        }),
      );
      const token = aws.ecr.getAuthorizationTokenOutput({ registryId: this.repository.registryId }, { parent: this });
      this.dockerImage = new docker.Image(
        `${name}-build`,
        {
          imageName: pulumi.interpolate`${this.repository.repositoryUrl}:${tag}`,
          build: {
            context,
            dockerfile,
            platform: this.platform,
            builderVersion: "BuilderBuildKit",
            ...(args.build?.target ? { target: args.build.target } : {}),
            ...(args.build?.args ? { args: args.build.args } : {}),
          },
          registry: {
            server: this.repository.repositoryUrl,
            username: token.userName,
            // Short-lived, but a credential all the same: kept encrypted in the state.
            password: pulumi.secret(token.password),
          },
          skipPush: false,
          buildOnPreview: args.build?.buildOnPreview ?? false,
        },
        { parent: this },
      );
      this.imageRef = this.dockerImage.repoDigest.apply((ref) => {
        if (!/@sha256:[0-9a-f]{64}$/.test(ref)) throw new Error(`the pushed image has no registry digest (got "${ref}"); the task definition needs repo@sha256:<digest>`);
        return ref;
      });
    }

    this.registerOutputs({
      repositoryUrl: this.repositoryUrl,
      repositoryArn: this.repositoryArn,
      imageRef: this.imageRef,
      cpuArchitecture: this.cpuArchitecture,
      platform: this.platform,
    });
  }
}

function sortedRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(record).sort().map((k) => [k, record[k]!]));
}
