import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { planSubnets, vpcCidrProblem } from "./cidr";
import { childTags, failOnProblems, isKnown, Problems } from "./validation";

export const NETWORK_TYPE = "virtual-agent:aws:Network";

export interface ExistingNetworkArgs {
  /** VPC id, e.g. a platform team's stack reference output (`stackRef.getOutput("vpcId")`). */
  vpcId: pulumi.Input<string>;
  /** Private subnets (egress through NAT or VPC endpoints) for the tasks, in at least two availability zones. */
  privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Public subnets for an internet-facing load balancer; needed only with a custom domain. */
  publicSubnetIds?: pulumi.Input<pulumi.Input<string>[]>;
}

export interface NetworkArgs {
  /** Use this VPC and its subnets; nothing is created. Leave out to create a VPC. */
  existing?: ExistingNetworkArgs;
  /** Address range of a created VPC (default `10.0.0.0/16`). */
  cidrBlock?: string;
  /** Availability zones of a created VPC, 2 or 3 (default 2). */
  availabilityZones?: number;
  /**
   * NAT gateways of a created VPC: `perZone` keeps egress up when a zone fails (the default),
   * `single` costs one gateway instead of one per zone (development stacks).
   */
  natGateways?: "perZone" | "single";
  /** Tags for created resources. */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export function validateNetworkArgs(args: NetworkArgs, problems = new Problems()): Problems {
  const zones = args.availabilityZones ?? 2;
  if (args.existing) {
    for (const key of ["cidrBlock", "availabilityZones", "natGateways"] as const) {
      if (args[key] !== undefined) problems.add(key, "applies only to a created VPC; leave it out with existing");
    }
    const privateIds = args.existing.privateSubnetIds;
    if (isKnown(privateIds)) {
      problems.require(privateIds.length >= 2, "existing.privateSubnetIds", `needs subnets in at least two availability zones, got ${privateIds.length}`);
    }
    const publicIds = args.existing.publicSubnetIds;
    if (isKnown(publicIds) && publicIds.length > 0) {
      problems.require(publicIds.length >= 2, "existing.publicSubnetIds", `a load balancer needs subnets in at least two availability zones, got ${publicIds.length}`);
    }
    return problems;
  }
  problems.require(Number.isInteger(zones) && zones >= 2 && zones <= 3, "availabilityZones", `must be 2 or 3, got ${zones}`);
  const cidrProblem = vpcCidrProblem(args.cidrBlock ?? "10.0.0.0/16", zones);
  if (cidrProblem) problems.add("cidrBlock", cidrProblem);
  if (args.natGateways !== undefined) {
    problems.require(["perZone", "single"].includes(args.natGateways), "natGateways", `must be perZone or single, got ${String(args.natGateways)}`);
  }
  return problems;
}

/**
 * Where the service runs: the VPC and subnets a platform team passes in, or a VPC created here with a
 * public and a private subnet in each of two (or three) availability zones, NAT for the tasks' egress,
 * gateway endpoints so DynamoDB and S3 (ECR's image layers) traffic skips the NAT, and the VPC's default
 * security group stripped of its rules so nothing can use it by accident.
 */
export class Network extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  readonly privateSubnetIds: pulumi.Output<string[]>;
  /** Empty when an existing network has no public subnets. */
  readonly publicSubnetIds: pulumi.Output<string[]>;
  readonly created: boolean;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    failOnProblems(NETWORK_TYPE, name, validateNetworkArgs(args));
    super(NETWORK_TYPE, name, {}, opts);

    if (args.existing) {
      this.created = false;
      this.vpcId = pulumi.output(args.existing.vpcId);
      this.privateSubnetIds = pulumi.output(args.existing.privateSubnetIds);
      this.publicSubnetIds = pulumi.output(args.existing.publicSubnetIds ?? []);
    } else {
      this.created = true;
      const created = this.createVpc(name, args);
      this.vpcId = created.vpcId;
      this.privateSubnetIds = created.privateSubnetIds;
      this.publicSubnetIds = created.publicSubnetIds;
    }
    this.registerOutputs({ vpcId: this.vpcId, privateSubnetIds: this.privateSubnetIds, publicSubnetIds: this.publicSubnetIds });
  }

  private createVpc(name: string, args: NetworkArgs) {
    const parent = { parent: this };
    const zones = args.availabilityZones ?? 2;
    const cidrBlock = args.cidrBlock ?? "10.0.0.0/16";
    const plan = planSubnets(cidrBlock, zones);
    const tag = (suffix: string) => childTags(args.tags, `${name}-${suffix}`);
    const available = aws.getAvailabilityZonesOutput(
      { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
      parent,
    );
    const zoneName = (i: number) =>
      available.names.apply((names) => {
        if (names.length < zones) throw new Error(`${name}: the region offers ${names.length} availability zones, ${zones} are needed`);
        return names[i]!;
      });
    const region = aws.getRegionOutput({}, parent).region;

    const vpc = new aws.ec2.Vpc(`${name}-vpc`, { cidrBlock, enableDnsHostnames: true, enableDnsSupport: true, tags: tag("vpc") }, parent);
    new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.id, ingress: [], egress: [], tags: tag("default-do-not-use") }, parent);
    const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: tag("igw") }, parent);

    const publicRoutes = new aws.ec2.RouteTable(`${name}-public-rt`, { vpcId: vpc.id, tags: tag("public") }, parent);
    new aws.ec2.Route(`${name}-public-default`, { routeTableId: publicRoutes.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id }, parent);

    const publicSubnets = plan.public.map((cidr, i) => {
      const subnet = new aws.ec2.Subnet(
        `${name}-public-${i}`,
        // Only the load balancer lives here, and it gets its own addresses: nothing receives a public IP by default.
        { vpcId: vpc.id, cidrBlock: cidr, availabilityZone: zoneName(i), mapPublicIpOnLaunch: false, tags: tag(`public-${i}`) },
        parent,
      );
      new aws.ec2.RouteTableAssociation(`${name}-public-${i}`, { subnetId: subnet.id, routeTableId: publicRoutes.id }, parent);
      return subnet;
    });

    const natCount = args.natGateways === "single" ? 1 : zones;
    const nats = Array.from({ length: natCount }, (_, i) => {
      const eip = new aws.ec2.Eip(`${name}-nat-${i}`, { domain: "vpc", tags: tag(`nat-${i}`) }, parent);
      return new aws.ec2.NatGateway(
        `${name}-nat-${i}`,
        { allocationId: eip.id, subnetId: publicSubnets[i]!.id, connectivityType: "public", tags: tag(`nat-${i}`) },
        { parent: this, dependsOn: [igw] },
      );
    });

    const privateRouteTables: aws.ec2.RouteTable[] = [];
    const privateSubnets = plan.private.map((cidr, i) => {
      const subnet = new aws.ec2.Subnet(
        `${name}-private-${i}`,
        { vpcId: vpc.id, cidrBlock: cidr, availabilityZone: zoneName(i), mapPublicIpOnLaunch: false, tags: tag(`private-${i}`) },
        parent,
      );
      const routes = new aws.ec2.RouteTable(`${name}-private-rt-${i}`, { vpcId: vpc.id, tags: tag(`private-${i}`) }, parent);
      new aws.ec2.Route(`${name}-private-default-${i}`, { routeTableId: routes.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nats[i % natCount]!.id }, parent);
      new aws.ec2.RouteTableAssociation(`${name}-private-${i}`, { subnetId: subnet.id, routeTableId: routes.id }, parent);
      privateRouteTables.push(routes);
      return subnet;
    });

    for (const service of ["dynamodb", "s3"]) {
      new aws.ec2.VpcEndpoint(
        `${name}-${service}-endpoint`,
        {
          vpcId: vpc.id,
          serviceName: pulumi.interpolate`com.amazonaws.${region}.${service}`,
          vpcEndpointType: "Gateway",
          routeTableIds: privateRouteTables.map((t) => t.id),
          tags: tag(`${service}-endpoint`),
        },
        parent,
      );
    }

    return {
      vpcId: vpc.id,
      privateSubnetIds: pulumi.all(privateSubnets.map((s) => s.id)),
      publicSubnetIds: pulumi.all(publicSubnets.map((s) => s.id)),
    };
  }
}
