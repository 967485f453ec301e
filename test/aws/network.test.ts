/**
 * The Network component under mocks: a created VPC (subnets per zone, NAT, endpoints, a locked default
 * security group) or an existing one passed through untouched.
 */
import * as pulumi from "@pulumi/pulumi";
import { Network } from "../../components/aws/network";
import { type MockCloud, promiseOf, setupMocks } from "./mocks";

let cloud: MockCloud;
beforeAll(async () => {
  cloud = await setupMocks();
});

describe("Network (created)", () => {
  it("puts a public and a private subnet in each of two zones, with no public IPs by default", async () => {
    const net = await cloud.build(() => new Network("net", {}));
    const vpc = cloud.one("aws:ec2/vpc:Vpc").inputs;
    expect(vpc).toMatchObject({ cidrBlock: "10.0.0.0/16", enableDnsHostnames: true, enableDnsSupport: true });
    const subnets = cloud.ofType("aws:ec2/subnet:Subnet");
    expect(subnets.map((s) => [s.name, s.inputs.cidrBlock, s.inputs.availabilityZone])).toEqual(
      expect.arrayContaining([
        ["net-private-0", "10.0.0.0/18", "eu-west-1a"],
        ["net-private-1", "10.0.64.0/18", "eu-west-1b"],
        ["net-public-0", "10.0.128.0/18", "eu-west-1a"],
        ["net-public-1", "10.0.192.0/18", "eu-west-1b"],
      ]),
    );
    expect(subnets.every((s) => s.inputs.mapPublicIpOnLaunch === false)).toBe(true);
    const ids = (prefix: string) => subnets.filter((s) => s.name.startsWith(prefix)).map((s) => s.id).sort();
    expect((await promiseOf(net.privateSubnetIds)).sort()).toEqual(ids("net-private"));
    expect((await promiseOf(net.publicSubnetIds)).sort()).toEqual(ids("net-public"));
    expect(await promiseOf(net.vpcId)).toBe(cloud.one("aws:ec2/vpc:Vpc").id);
  });

  it("routes private subnets through a NAT gateway per zone and public ones through the internet gateway", async () => {
    await cloud.build(() => new Network("net-nat", {}));
    const nats = cloud.ofType("aws:ec2/natGateway:NatGateway");
    expect(nats).toHaveLength(2);
    const publicIds = cloud.ofType("aws:ec2/subnet:Subnet").filter((s) => s.name.includes("public")).map((s) => s.id);
    expect(nats.every((n) => publicIds.includes(n.inputs.subnetId as string))).toBe(true);
    const routes = cloud.ofType("aws:ec2/route:Route");
    const igw = cloud.one("aws:ec2/internetGateway:InternetGateway").id;
    expect(routes.filter((r) => r.inputs.gatewayId === igw)).toHaveLength(1);
    expect(routes.filter((r) => r.inputs.natGatewayId).map((r) => r.inputs.natGatewayId).sort()).toEqual(nats.map((n) => n.id).sort());
  });

  it("can share one NAT gateway, use three zones and another range", async () => {
    await cloud.build(() => new Network("net-small", { natGateways: "single", availabilityZones: 3, cidrBlock: "172.16.0.0/20" }));
    expect(cloud.ofType("aws:ec2/natGateway:NatGateway")).toHaveLength(1);
    expect(cloud.ofType("aws:ec2/subnet:Subnet").map((s) => s.inputs.cidrBlock).sort()).toEqual(
      ["172.16.0.0/23", "172.16.2.0/23", "172.16.4.0/23", "172.16.6.0/23", "172.16.8.0/23", "172.16.10.0/23"].sort(),
    );
  });

  it("adds DynamoDB and S3 gateway endpoints to the private route tables, and strips the default security group", async () => {
    await cloud.build(() => new Network("net-ep", {}));
    const privateTables = cloud.ofType("aws:ec2/routeTable:RouteTable").filter((t) => t.name.includes("private")).map((t) => t.id).sort();
    const endpoints = cloud.ofType("aws:ec2/vpcEndpoint:VpcEndpoint");
    expect(endpoints.map((e) => e.inputs.serviceName).sort()).toEqual(["com.amazonaws.eu-west-1.dynamodb", "com.amazonaws.eu-west-1.s3"]);
    for (const e of endpoints) {
      expect(e.inputs.vpcEndpointType).toBe("Gateway");
      expect([...(e.inputs.routeTableIds as string[])].sort()).toEqual(privateTables);
    }
    expect(cloud.one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup").inputs).toMatchObject({ ingress: [], egress: [] });
  });
});

describe("Network (existing)", () => {
  it("passes a platform team's ids through and creates nothing", async () => {
    const net = await cloud.build(
      () =>
        new Network("net-shared", {
          existing: { vpcId: pulumi.output("vpc-shared"), privateSubnetIds: pulumi.output(["subnet-a", "subnet-b"]), publicSubnetIds: ["subnet-c", "subnet-d"] },
        }),
    );
    expect(cloud.cloudResources).toHaveLength(0);
    expect(await promiseOf(net.vpcId)).toBe("vpc-shared");
    expect(await promiseOf(net.privateSubnetIds)).toEqual(["subnet-a", "subnet-b"]);
    expect(await promiseOf(net.publicSubnetIds)).toEqual(["subnet-c", "subnet-d"]);
  });

  it("refuses bad arguments before creating anything", async () => {
    cloud.reset();
    expect(() => new Network("bad", { existing: { vpcId: "vpc", privateSubnetIds: ["subnet-a"] } })).toThrow(/existing.privateSubnetIds: needs subnets in at least two/);
    expect(() => new Network("bad", { existing: { vpcId: "vpc", privateSubnetIds: ["a", "b"] }, natGateways: "single" })).toThrow(/natGateways: applies only to a created VPC/);
    expect(() => new Network("bad", { cidrBlock: "10.0.0.0/29" })).toThrow(/cidrBlock: a VPC range must be \/16 to \/28/);
    expect(() => new Network("bad", { availabilityZones: 1 })).toThrow(/availabilityZones: must be 2 or 3/);
    await cloud.settle();
    expect(cloud.resources).toHaveLength(0);
  });
});
