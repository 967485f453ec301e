import * as pulumi from "@pulumi/pulumi";
import { Image, type ImageArgs, validateImageArgs } from "./image";
import { LoadBalancer, type LoadBalancerArgs, validateLoadBalancerArgs } from "./loadBalancer";
import { Network, type NetworkArgs, validateNetworkArgs } from "./network";
import { type CpuArchitecture } from "./platform";
import { ServiceSecrets, type ServiceSecretsArgs, validateServiceSecretsArgs } from "./secrets";
import { Service, type ServiceArgs, validateServiceArgs } from "./service";
import { SessionTable, type SessionTableArgs, validateSessionTableArgs } from "./sessionTable";
import { failOnProblems, Problems } from "./validation";

export const HOSTED_SERVICE_TYPE = "virtual-agent:aws:HostedService";

type Tagged = "tags";

export interface HostedServiceArgs {
  /**
   * A production stack (default false): at least two tasks (validated) and load balancer deletion
   * protection on unless `endpoint.deletionProtection` says otherwise.
   */
  production?: boolean;
  /** CPU architecture of the image build and of the tasks, kept in step (default X86_64). */
  cpuArchitecture?: CpuArchitecture;
  /** An existing VPC and subnets, or the VPC to create (default: create one, two zones, a NAT per zone). */
  network?: NetworkArgs;
  /** How the image is obtained (default: build `service/` with `service/Dockerfile` and push it). */
  image?: Omit<ImageArgs, "cpuArchitecture" | Tagged>;
  /** The HTTPS endpoint: a custom domain, or API Gateway's URL without one; source ranges; protection. */
  endpoint?: Omit<LoadBalancerArgs, "vpcId" | "privateSubnetIds" | "publicSubnetIds" | "containerPort" | Tagged>;
  /** The verify token and any further secrets (e.g. the Genesys OAuth client), stored in Secrets Manager. */
  secrets: Omit<ServiceSecretsArgs, Tagged>;
  /** The DynamoDB session table's protection and encryption. */
  sessionTable?: Omit<SessionTableArgs, Tagged>;
  /** The service: size, scaling, logs, alarms, environment. */
  service?: Omit<
    ServiceArgs,
    "vpcId" | "privateSubnetIds" | "image" | "sessionTable" | "secrets" | "secretsKmsKeyArn" | "loadBalancer" | "production" | Tagged
  >;
  /** Tags for every taggable resource. */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** The API Gateway integration waits a little longer than the service's own turn budget, then gives up. */
function integrationTimeoutFor(turnBudgetMs: number): number {
  return Math.min(29_000, turnBudgetMs + 3000);
}

/** Every problem of every part, before any resource exists. */
export function validateHostedServiceArgs(args: HostedServiceArgs): Problems {
  const problems = new Problems();
  const cpuArchitecture = args.cpuArchitecture ?? "X86_64";
  const network = args.network ?? {};
  validateNetworkArgs(network, problems.at("network"));
  validateImageArgs({ ...args.image, cpuArchitecture }, problems.at("image"));
  const planned = ["planned-subnet-a", "planned-subnet-b"];
  validateLoadBalancerArgs(
    {
      ...args.endpoint,
      vpcId: "planned",
      privateSubnetIds: network.existing ? network.existing.privateSubnetIds : planned,
      ...(network.existing ? (network.existing.publicSubnetIds ? { publicSubnetIds: network.existing.publicSubnetIds } : {}) : { publicSubnetIds: planned }),
      ...(args.service?.containerPort !== undefined ? { containerPort: args.service.containerPort } : {}),
    },
    problems.at("endpoint"),
  );
  validateServiceSecretsArgs(args.secrets, problems.at("secrets"));
  validateSessionTableArgs(args.sessionTable ?? {}, problems.at("sessionTable"));
  const secretNames = ["VERIFY_TOKEN", ...Object.keys(args.secrets.additional ?? {})];
  validateServiceArgs(
    {
      ...args.service,
      production: args.production ?? false,
      vpcId: "planned",
      privateSubnetIds: planned,
      image: { ref: "planned", repositoryArn: "planned", cpuArchitecture },
      sessionTable: { name: "planned", arn: "planned" },
      secrets: Object.fromEntries(secretNames.map((n) => [n, "planned"])),
      loadBalancer: {
        securityGroupId: "planned",
        targetGroupArn: "planned",
        targetGroupArnSuffix: "planned",
        loadBalancerArnSuffix: "planned",
        ...(args.endpoint?.idleTimeoutSeconds !== undefined ? { idleTimeoutSeconds: args.endpoint.idleTimeoutSeconds } : {}),
      },
    },
    problems.at("service"),
  );
  return problems;
}

/**
 * The endpoint service hosted on AWS, end to end: network, image, HTTPS endpoint, secrets, session table
 * and the ECS service, wired together. `url` is what the Genesys Bot Connector integration points at
 * (it appends `/botconnector/messages`).
 */
export class HostedService extends pulumi.ComponentResource {
  readonly network: Network;
  readonly image: Image;
  readonly endpoint: LoadBalancer;
  readonly secrets: ServiceSecrets;
  readonly sessionTable: SessionTable;
  readonly service: Service;
  /** HTTPS base URL of the Bot Connector endpoint. */
  readonly url: pulumi.Output<string>;
  readonly tableName: pulumi.Output<string>;
  /** Environment variable name → Secrets Manager ARN. */
  readonly secretArns: pulumi.Output<Record<string, string>>;
  readonly logGroupName: pulumi.Output<string>;
  readonly imageRef: pulumi.Output<string>;

  constructor(name: string, args: HostedServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    failOnProblems(HOSTED_SERVICE_TYPE, name, validateHostedServiceArgs(args));
    super(HOSTED_SERVICE_TYPE, name, {}, opts);
    const parent = { parent: this };
    const production = args.production ?? false;
    const tags = args.tags;
    const containerPort = args.service?.containerPort ?? 8080;

    this.network = new Network(`${name}-network`, { ...args.network, ...(tags ? { tags } : {}) }, parent);
    this.image = new Image(`${name}-image`, { ...args.image, cpuArchitecture: args.cpuArchitecture ?? "X86_64", ...(tags ? { tags } : {}) }, parent);
    this.endpoint = new LoadBalancer(
      `${name}-endpoint`,
      {
        ...args.endpoint,
        // `??`, not spread order: a stack passing `undefined` from unset config must still get these defaults.
        integrationTimeoutMs: args.endpoint?.integrationTimeoutMs ?? integrationTimeoutFor(args.service?.turnBudgetMs ?? 5000),
        deletionProtection: args.endpoint?.deletionProtection ?? production,
        vpcId: this.network.vpcId,
        privateSubnetIds: this.network.privateSubnetIds,
        publicSubnetIds: this.network.publicSubnetIds,
        containerPort,
        ...(tags ? { tags } : {}),
      },
      parent,
    );
    this.secrets = new ServiceSecrets(`${name}-secrets`, { ...args.secrets, ...(tags ? { tags } : {}) }, parent);
    this.sessionTable = new SessionTable(`${name}-sessions`, { ...args.sessionTable, ...(tags ? { tags } : {}) }, parent);
    this.service = new Service(
      `${name}-service`,
      {
        ...args.service,
        production,
        vpcId: this.network.vpcId,
        privateSubnetIds: this.network.privateSubnetIds,
        image: { ref: this.image.imageRef, repositoryArn: this.image.repositoryArn, cpuArchitecture: this.image.cpuArchitecture },
        sessionTable: { name: this.sessionTable.tableName, arn: this.sessionTable.tableArn, kmsKeyArn: this.sessionTable.kmsKeyArn },
        secrets: this.secrets.arns,
        secretsKmsKeyArn: this.secrets.kmsKeyArn,
        loadBalancer: {
          securityGroupId: this.endpoint.securityGroupId,
          targetGroupArn: this.endpoint.targetGroupArn,
          targetGroupArnSuffix: this.endpoint.targetGroupArnSuffix,
          loadBalancerArnSuffix: this.endpoint.loadBalancerArnSuffix,
          // The service's keep-alive timeout and the load balancer's idle timeout come from this one figure.
          idleTimeoutSeconds: this.endpoint.idleTimeoutSeconds,
          ...(this.endpoint.apiId ? { apiId: this.endpoint.apiId } : {}),
        },
        ...(tags ? { tags } : {}),
      },
      parent,
    );

    this.url = this.endpoint.url;
    this.tableName = this.sessionTable.tableName;
    this.secretArns = pulumi.output(this.secrets.arns);
    this.logGroupName = this.service.logGroupName;
    this.imageRef = this.image.imageRef;
    this.registerOutputs({
      url: this.url,
      endpointMode: this.endpoint.mode,
      tableName: this.tableName,
      secretArns: this.secretArns,
      logGroupName: this.logGroupName,
      imageRef: this.imageRef,
      repositoryUrl: this.image.repositoryUrl,
      clusterName: this.service.clusterName,
      serviceName: this.service.serviceName,
    });
  }
}
