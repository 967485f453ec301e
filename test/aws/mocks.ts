/**
 * Pulumi mocks for AWS (and docker) programs, reusable for components and for the whole stack:
 *
 *   const cloud = await setupMocks();                 // once per test file, before creating resources
 *   const hosted = await cloud.build(() => new HostedService("va", args));
 *   cloud.one("aws:ecs/service:Service").inputs       // what the program asked for, by type
 *   await promiseOf(hosted.url)                       // an Output's value
 *
 * Every registered resource and every invoke is captured. Resources come back with realistic computed
 * properties (ids, ARNs, names with a generated suffix, dnsName, arnSuffix, repositoryUrl, repoDigest …),
 * so outputs resolve as they would in a deployment; the invokes the AWS components use are answered
 * (region, caller identity, partition, availability zones, ECR authorization token), and stack
 * references return the outputs given. Extend through `setupMocks({ resources, invokes, stackReferences })`.
 *
 * The Genesys Cloud resources (and the random token, the bot list) get their computed properties too, and the
 * Genesys lookups (auth role, routing queue) are answered, so the whole stack program runs on these mocks.
 * `setupMocks({ preview: true, firstDeployment: true })` is a preview of a stack deployed for the first
 * time: providers know only the inputs, every computed property and id is unknown.
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

type MockResourceArgs = pulumi.runtime.MockResourceArgs;
type MockCallArgs = pulumi.runtime.MockCallArgs;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- resource inputs and state are untyped JSON
export type Json = Record<string, any>;

export interface CapturedResource {
  type: string;
  name: string;
  inputs: Json;
  id: string;
  state: Json;
  custom: boolean;
  /** The provider reference (`<provider urn>::<provider id>`) the resource was registered with, if any. */
  provider?: string;
}

export interface CapturedInvoke {
  token: string;
  inputs: Json;
  /** The provider reference the invoke went through, if any. */
  provider?: string;
}

export interface MockContext {
  region: string;
  accountId: string;
}

/** Computed properties for one resource type; return undefined to fall back to the defaults. */
export type ResourceMock = (args: MockResourceArgs, context: MockContext) => Json | undefined;
export type InvokeMock = (inputs: Json, context: MockContext) => Json;

export interface MockOptions {
  region?: string;
  accountId?: string;
  project?: string;
  stack?: string;
  /** Preview (`pulumi preview`): `pulumi.runtime.isDryRun()` is true. */
  preview?: boolean;
  resources?: Record<string, ResourceMock>;
  invokes?: Record<string, InvokeMock>;
  /** Outputs of stack references by stack name (`organization/network/prod` → `{ vpcId: … }`). */
  stackReferences?: Record<string, Json>;
  /**
   * With `preview`: nothing exists yet, so every id and computed property is unknown (only inputs are known),
   * as in the first `pulumi preview` of a stack. Stack references and invokes still answer.
   */
  firstDeployment?: boolean;
}

const uuid = (seed: string) => {
  const h = createHash("sha256").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};
const hex = (seed: string, length: number) => createHash("sha256").update(seed).digest("hex").slice(0, length);
const alnum = (seed: string, length: number) =>
  [...createHash("sha256").update(seed).digest()].map((b) => "abcdefghijklmnopqrstuvwxyz0123456789"[b % 36]).join("").slice(0, length);

/** The name AWS would have: the explicit one, else Pulumi's autoname (`<name>-<7 hex>`), cut to `max`. */
function physicalName(args: MockResourceArgs, max = 255): string {
  const explicit = args.inputs.name as string | undefined;
  if (explicit) return explicit;
  const suffix = hex(`${args.type}/${args.name}`, 7);
  return `${args.name.slice(0, max - 8)}-${suffix}`;
}

/** Realistic computed state per resource type (merged over the inputs). */
export function computedState(args: MockResourceArgs, ctx: MockContext): { id: string; state: Json } {
  const { region, accountId } = ctx;
  const seed = `${args.type}/${args.name}`;
  const arn = (service: string, resource: string, withRegion = true) => `arn:aws:${service}:${withRegion ? region : ""}:${accountId}:${resource}`;
  const i = args.inputs;
  switch (args.type) {
    case "aws:ec2/vpc:Vpc": {
      const id = `vpc-${hex(seed, 17)}`;
      return { id, state: { arn: arn("ec2", `vpc/${id}`), defaultSecurityGroupId: `sg-${hex(`${seed}/default`, 17)}`, mainRouteTableId: `rtb-${hex(seed, 17)}` } };
    }
    case "aws:ec2/subnet:Subnet": {
      const id = `subnet-${hex(seed, 17)}`;
      return { id, state: { arn: arn("ec2", `subnet/${id}`) } };
    }
    case "aws:ec2/securityGroup:SecurityGroup":
    case "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": {
      const id = `sg-${hex(seed, 17)}`;
      return { id, state: { arn: arn("ec2", `security-group/${id}`), name: physicalName(args) } };
    }
    case "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":
    case "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": {
      const id = `sgr-${hex(seed, 17)}`;
      return { id, state: { arn: arn("ec2", `security-group-rule/${id}`), securityGroupRuleId: id } };
    }
    case "aws:ec2/internetGateway:InternetGateway":
      return { id: `igw-${hex(seed, 17)}`, state: {} };
    case "aws:ec2/eip:Eip":
      return { id: `eipalloc-${hex(seed, 17)}`, state: { publicIp: `198.51.100.${parseInt(hex(seed, 2), 16) % 250}` } };
    case "aws:ec2/natGateway:NatGateway":
      return { id: `nat-${hex(seed, 17)}`, state: {} };
    case "aws:ec2/routeTable:RouteTable":
      return { id: `rtb-${hex(seed, 17)}`, state: {} };
    case "aws:ec2/vpcEndpoint:VpcEndpoint":
      return { id: `vpce-${hex(seed, 17)}`, state: {} };
    case "aws:ecr/repository:Repository": {
      const name = physicalName(args);
      return {
        id: name,
        state: { name, arn: arn("ecr", `repository/${name}`), registryId: accountId, repositoryUrl: `${accountId}.dkr.ecr.${region}.amazonaws.com/${name}` },
      };
    }
    case "docker:index/image:Image": {
      const imageName = String(i.imageName ?? "");
      const repository = imageName.replace(/:[^:/]+$/, "");
      return {
        id: `${repository}@sha256:${hex(imageName, 64)}`,
        state: { repoDigest: `${repository}@sha256:${hex(imageName, 64)}`, baseImageName: imageName, platform: i.build?.platform, registryServer: i.registry?.server },
      };
    }
    case "aws:ecs/cluster:Cluster": {
      const name = physicalName(args);
      return { id: arn("ecs", `cluster/${name}`), state: { name, arn: arn("ecs", `cluster/${name}`) } };
    }
    case "aws:ecs/taskDefinition:TaskDefinition": {
      const family = String(i.family);
      return {
        id: family,
        state: { arn: arn("ecs", `task-definition/${family}:1`), arnWithoutRevision: arn("ecs", `task-definition/${family}`), revision: 1 },
      };
    }
    case "aws:ecs/service:Service": {
      const name = physicalName(args);
      return { id: arn("ecs", `service/${name}`), state: { name } };
    }
    case "aws:cloudwatch/logGroup:LogGroup": {
      const name = physicalName(args, 512);
      return { id: name, state: { name, arn: arn("logs", `log-group:${name}`) } };
    }
    case "aws:cloudwatch/metricAlarm:MetricAlarm": {
      const name = physicalName(args);
      return { id: name, state: { name, arn: arn("cloudwatch", `alarm:${name}`) } };
    }
    case "aws:iam/role:Role": {
      const name = physicalName(args, 64);
      return { id: name, state: { name, arn: arn("iam", `role/${name}`, false), uniqueId: `AROA${hex(seed, 17).toUpperCase()}` } };
    }
    case "aws:iam/rolePolicy:RolePolicy":
      return { id: `${String(i.role)}:${physicalName(args, 128)}`, state: { name: physicalName(args, 128) } };
    case "aws:lb/loadBalancer:LoadBalancer": {
      const name = physicalName(args, 32);
      const suffix = `app/${name}/${hex(seed, 16)}`;
      const internal = i.internal ? "internal-" : "";
      return {
        id: arn("elasticloadbalancing", `loadbalancer/${suffix}`),
        state: {
          name,
          arn: arn("elasticloadbalancing", `loadbalancer/${suffix}`),
          arnSuffix: suffix,
          dnsName: `${internal}${name}-${parseInt(hex(seed, 8), 16)}.${region}.elb.amazonaws.com`,
          zoneId: "Z32O12XQLNTSW2",
        },
      };
    }
    case "aws:lb/targetGroup:TargetGroup": {
      const name = physicalName(args, 32);
      const suffix = `targetgroup/${name}/${hex(seed, 16)}`;
      return { id: arn("elasticloadbalancing", suffix), state: { name, arn: arn("elasticloadbalancing", suffix), arnSuffix: suffix } };
    }
    case "aws:lb/listener:Listener":
    case "aws:lb/listenerRule:ListenerRule": {
      const kind = args.type.endsWith("Rule") ? "listener-rule" : "listener";
      const value = arn("elasticloadbalancing", `${kind}/app/${hex(seed, 8)}/${hex(seed, 16)}`);
      return { id: value, state: { arn: value } };
    }
    case "aws:acm/certificate:Certificate": {
      const value = arn("acm", `certificate/${hex(seed, 8)}-${hex(seed, 4)}-${hex(seed, 4)}-${hex(seed, 4)}-${hex(seed, 12)}`);
      const domain = String(i.domainName);
      return {
        id: value,
        state: {
          arn: value,
          status: "PENDING_VALIDATION",
          domainValidationOptions: [
            { domainName: domain, resourceRecordName: `_${hex(seed, 32)}.${domain}.`, resourceRecordType: "CNAME", resourceRecordValue: `_${hex(`${seed}/v`, 32)}.acm-validations.aws.` },
          ],
        },
      };
    }
    case "aws:acm/certificateValidation:CertificateValidation":
      return { id: String(i.certificateArn), state: {} };
    case "aws:route53/record:Record": {
      const fqdn = String(i.name).replace(/\.$/, "");
      return { id: `${String(i.zoneId)}_${fqdn}_${String(i.type)}`, state: { fqdn } };
    }
    case "aws:apigatewayv2/api:Api": {
      const id = alnum(seed, 10);
      return {
        id,
        state: {
          arn: `arn:aws:apigateway:${region}::/apis/${id}`,
          executionArn: arn("execute-api", id),
          apiEndpoint: `https://${id}.execute-api.${region}.amazonaws.com`,
        },
      };
    }
    case "aws:apigatewayv2/vpcLink:VpcLink": {
      const id = alnum(seed, 6);
      return { id, state: { arn: `arn:aws:apigateway:${region}::/vpclinks/${id}` } };
    }
    case "aws:apigatewayv2/integration:Integration":
    case "aws:apigatewayv2/route:Route":
      return { id: alnum(seed, 7), state: {} };
    case "aws:apigatewayv2/stage:Stage":
      return { id: String(i.name), state: { invokeUrl: `https://${String(i.apiId)}.execute-api.${region}.amazonaws.com/` } };
    case "aws:dynamodb/table:Table": {
      const name = physicalName(args);
      return { id: name, state: { name, arn: arn("dynamodb", `table/${name}`) } };
    }
    case "aws:secretsmanager/secret:Secret": {
      const name = physicalName(args, 512);
      const value = arn("secretsmanager", `secret:${name}-${alnum(seed, 6)}`);
      return { id: value, state: { name, arn: value } };
    }
    case "aws:secretsmanager/secretVersion:SecretVersion":
      return { id: `${String(i.secretId)}|${hex(seed, 8)}`, state: { arn: i.secretId, versionId: hex(seed, 32) } };
    case "aws:appautoscaling/target:Target":
      return { id: String(i.resourceId), state: { arn: arn("application-autoscaling", `scalable-target/${hex(seed, 20)}`) } };
    case "aws:appautoscaling/policy:Policy": {
      const name = physicalName(args);
      return { id: name, state: { name, arn: arn("autoscaling", `scalingPolicy:${hex(seed, 8)}:resource/ecs/${name}`) } };
    }
    case "aws:sns/topic:Topic": {
      const name = physicalName(args, 256);
      return { id: arn("sns", name), state: { name, arn: arn("sns", name) } };
    }
    case "random:index/randomPassword:RandomPassword": {
      // Letters and digits, as with `special: false`; long enough for any requested length.
      const length = Number(i.length ?? 16);
      const chunks = Array.from({ length: Math.ceil(length / 32) }, (_, n) => alnum(`${seed}/${JSON.stringify(i.keepers ?? {})}/${n}`, 32));
      return { id: "none", state: { result: chunks.join("").slice(0, length), bcryptHash: `$2a$10$${alnum(seed, 32)}` } };
    }
    case "genesyscloud:index/oauthClient:OauthClient":
      return { id: uuid(seed), state: { clientId: uuid(`${seed}/client`), clientSecret: alnum(`${seed}/secret`, 43) } };
    case "genesyscloud:index/integration:Integration":
    case "genesyscloud:index/integrationCredential:IntegrationCredential":
    case "genesyscloud:index/routingQueue:RoutingQueue":
      return { id: uuid(seed), state: {} };
    case "genesyscloud:index/flow:Flow":
      return { id: uuid(seed), state: { type: "inboundshortmessage", fileContentHash: hex(String(i.filepath), 64) } };
    case "genesyscloud:index/webdeploymentsConfiguration:WebdeploymentsConfiguration":
      return { id: uuid(seed), state: { version: "1", status: "Active" } };
    case "genesyscloud:index/webdeploymentsDeployment:WebdeploymentsDeployment": {
      const id = uuid(seed);
      return {
        id,
        state: {
          status: "Active",
          snippet: `<script type="text/javascript" charset="utf-8">(function (g, e, n, es, ys) {})(window, 'Genesys', 'https://apps.mypurecloud.de/genesys-bootstrap/genesys.min.js', { environment: 'prod-euc1', deploymentId: '${id}' });</script>`,
        },
      };
    }
    case "pulumi-nodejs:dynamic/genesys:BotList":
      return { id: `${String(i.integrationId)}/bots`, state: { managedBotIds: Object.keys(i.bots ?? {}).sort(), lastChanges: [] } };
    default:
      return { id: `${args.name}-id`, state: {} };
  }
}

function defaultInvokes(): Record<string, InvokeMock> {
  return {
    "aws:index/getRegion:getRegion": (_, { region }) => ({ id: region, region, name: region, endpoint: `ec2.${region}.amazonaws.com`, description: region }),
    "aws:index/getCallerIdentity:getCallerIdentity": (_, { accountId }) => ({
      id: accountId,
      accountId,
      arn: `arn:aws:sts::${accountId}:assumed-role/deploy/pulumi`,
      userId: "AROAEXAMPLE:pulumi",
    }),
    "aws:index/getPartition:getPartition": () => ({ id: "aws", partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" }),
    "aws:index/getAvailabilityZones:getAvailabilityZones": (inputs, { region }) => ({
      id: region,
      names: ["a", "b", "c"].map((z) => `${region}${z}`),
      zoneIds: [1, 2, 3].map((n) => `euw1-az${n}`),
      groupNames: [region],
      state: inputs.state,
      region,
    }),
    "aws:ecr/getAuthorizationToken:getAuthorizationToken": (inputs, { accountId, region }) => ({
      id: region,
      region,
      registryId: inputs.registryId ?? accountId,
      userName: "AWS",
      password: "mock-ecr-password",
      authorizationToken: Buffer.from("AWS:mock-ecr-password").toString("base64"),
      proxyEndpoint: `https://${accountId}.dkr.ecr.${region}.amazonaws.com`,
      expiresAt: "2030-01-01T00:00:00Z",
    }),
    "genesyscloud:index/getAuthRole:getAuthRole": (inputs) => ({ id: uuid(`role/${String(inputs.name)}`), name: inputs.name }),
    "genesyscloud:index/getRoutingQueue:getRoutingQueue": (inputs) => ({ id: uuid(`queue/${String(inputs.name)}`), name: inputs.name }),
  };
}

export class MockCloud {
  readonly resources: CapturedResource[] = [];
  readonly invokes: CapturedInvoke[] = [];

  constructor(readonly context: MockContext) {}

  /** Every captured resource of a type (e.g. `aws:ecs/service:Service`), in registration order. */
  ofType(type: string): CapturedResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  /** The one resource of a type (optionally whose name ends with `nameSuffix`); throws unless exactly one. */
  one(type: string, nameSuffix?: string): CapturedResource {
    const found = this.ofType(type).filter((r) => nameSuffix === undefined || r.name.endsWith(nameSuffix));
    if (found.length !== 1) throw new Error(`expected one ${type}${nameSuffix ? ` named *${nameSuffix}` : ""}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`);
    return found[0]!;
  }

  /** The resource registered under this exact name. */
  named(name: string): CapturedResource {
    const found = this.resources.filter((r) => r.name === name);
    if (found.length !== 1) throw new Error(`expected one resource named ${name}, found ${found.length}`);
    return found[0]!;
  }

  /** Custom (cloud) resources only: what a deployment would create. */
  get cloudResources(): CapturedResource[] {
    return this.resources.filter((r) => r.custom);
  }

  reset(): void {
    this.resources.length = 0;
    this.invokes.length = 0;
  }

  /** Waits until every registration the program started has reached the mocks. */
  settle(): Promise<void> {
    return settleRegistrations(() => this.resources.length);
  }

  /** Clears the captures, runs `create` (which builds components), and waits for every registration. */
  async build<T>(create: () => T): Promise<T> {
    this.reset();
    const result = create();
    await this.settle();
    return result;
  }
}

/**
 * Waits until every registration a program started has reached the mocks (`registered` counts them): Pulumi's
 * RPC queue drained, and no registration started from an output that resolved meanwhile. A test that ends before
 * would leave registrations to reach the next test's mocks.
 */
export async function settleRegistrations(registered: () => number): Promise<void> {
  const waitForRPCs = (pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> }).waitForRPCs;
  if (waitForRPCs) await waitForRPCs();
  let seen = -1;
  while (seen !== registered()) {
    seen = registered();
    await new Promise((resolve) => setTimeout(resolve, 10));
    if (waitForRPCs) await waitForRPCs();
  }
}

/** Installs the mocks (call once per test file, in beforeAll) and returns the capture. */
export async function setupMocks(options: MockOptions = {}): Promise<MockCloud> {
  const cloud = new MockCloud({ region: options.region ?? "eu-west-1", accountId: options.accountId ?? "123456789012" });
  const invokes = { ...defaultInvokes(), ...(options.invokes ?? {}) };
  await pulumi.runtime.setMocks(
    {
      newResource(args: MockResourceArgs) {
        const isStackReference = args.type === "pulumi:pulumi:StackReference";
        if (options.preview && options.firstDeployment && !isStackReference) {
          cloud.resources.push({ type: args.type, name: args.name, inputs: args.inputs as Json, id: "", state: { ...args.inputs }, custom: args.custom ?? true, provider: args.provider });
          return { id: undefined, state: { ...args.inputs } };
        }
        const computed =
          isStackReference
            ? { id: String(args.inputs.name), state: { outputs: options.stackReferences?.[String(args.inputs.name)] ?? {} } }
            : computedState(args, cloud.context);
        const extra = options.resources?.[args.type]?.(args, cloud.context);
        const state = { ...args.inputs, ...computed.state, ...(extra ?? {}) };
        const id = (extra?.id as string | undefined) ?? computed.id;
        cloud.resources.push({ type: args.type, name: args.name, inputs: args.inputs as Json, id, state, custom: args.custom ?? true, provider: args.provider });
        return { id, state };
      },
      call(args: MockCallArgs) {
        cloud.invokes.push({ token: args.token, inputs: args.inputs as Json, provider: args.provider });
        const handler = invokes[args.token];
        if (!handler) throw new Error(`no mock for the invoke ${args.token}; add one through setupMocks({ invokes })`);
        return handler(args.inputs as Json, cloud.context);
      },
    },
    options.project ?? "virtual-agent",
    options.stack ?? "test",
    options.preview ?? false,
  );
  return cloud;
}

/** An Output's (or any Input's) value as a Promise. Hangs on unknowns, which exist only in preview. */
export function promiseOf<T>(value: pulumi.Input<T>): Promise<T> {
  return new Promise((resolve) => {
    pulumi.output(value).apply((v) => {
      resolve(v as T);
      return v;
    });
  });
}

/** Parses a JSON string input (policies, container definitions). */
export function json<T = Json>(value: unknown): T {
  if (typeof value !== "string") throw new Error(`expected a JSON string, got ${typeof value}`);
  return JSON.parse(value) as T;
}

/** Whether a captured input was passed as a Pulumi secret (the mocks see secrets in their wire form). */
export function isSecretInput(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as Json)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig;
}

/** A captured input's value, unwrapping a secret. */
export function plainInput<T = unknown>(value: unknown): T {
  return (isSecretInput(value) ? (value as Json).value : value) as T;
}

/** Whether an Output's value is known; in a preview, values computed at deployment are not. */
export function isKnown(output: pulumi.Output<unknown>): Promise<boolean> {
  return (output as unknown as { isKnown: Promise<boolean> }).isKnown;
}
