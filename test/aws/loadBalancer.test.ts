/**
 * The LoadBalancer component under mocks, in its two modes: a custom domain (public ALB, ACM, TLS policy,
 * redirect, optional Genesys source ranges) and API Gateway in front of an internal ALB.
 */
import { BOT_CONNECTOR_PATH, LoadBalancer, type LoadBalancerArgs, TLS_POLICY } from "../../components/aws/loadBalancer";
import { json, type MockCloud, promiseOf, setupMocks } from "./mocks";

let cloud: MockCloud;
beforeAll(async () => {
  cloud = await setupMocks();
});

const base: LoadBalancerArgs = {
  vpcId: "vpc-1",
  privateSubnetIds: ["subnet-private-a", "subnet-private-b"],
  publicSubnetIds: ["subnet-public-a", "subnet-public-b"],
};
const domain = { name: "bot.example.com", hostedZoneId: "Z0123456789" };

const ingress = () => cloud.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
const egress = () => cloud.ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule");
const listener = (port: number) => cloud.ofType("aws:lb/listener:Listener").find((l) => l.inputs.port === port);

function expectOnlyTurnsForwarded(): void {
  const rules = cloud.ofType("aws:lb/listenerRule:ListenerRule");
  expect(rules).toHaveLength(1);
  expect(rules[0]!.inputs.conditions).toEqual([{ pathPattern: { values: [BOT_CONNECTOR_PATH] } }, { httpRequestMethod: { values: ["POST"] } }]);
  expect(rules[0]!.inputs.actions).toEqual([{ type: "forward", targetGroupArn: cloud.one("aws:lb/targetGroup:TargetGroup").state.arn }]);
}

describe("LoadBalancer with a custom domain", () => {
  it("is an internet-facing ALB in the public subnets that drops invalid headers", async () => {
    await cloud.build(() => new LoadBalancer("lb", { ...base, domain, deletionProtection: true }));
    const alb = cloud.one("aws:lb/loadBalancer:LoadBalancer").inputs;
    expect(alb).toMatchObject({ internal: false, loadBalancerType: "application", dropInvalidHeaderFields: true, enableDeletionProtection: true });
    expect(alb.subnets).toEqual(base.publicSubnetIds);
    expect(alb.securityGroups).toEqual([cloud.one("aws:ec2/securityGroup:SecurityGroup").id]);
  });

  it("serves HTTPS with the TLS 1.2/1.3 policy and a DNS-validated ACM certificate, and redirects HTTP with a 301", async () => {
    const lb = await cloud.build(() => new LoadBalancer("lb-tls", { ...base, domain }));
    const cert = cloud.one("aws:acm/certificate:Certificate");
    expect(cert.inputs).toMatchObject({ domainName: "bot.example.com", validationMethod: "DNS" });
    const option = (cert.state.domainValidationOptions as Record<string, string>[])[0]!;
    const validationRecord = cloud.one("aws:route53/record:Record", "cert-validation");
    expect(validationRecord.inputs).toMatchObject({ zoneId: domain.hostedZoneId, name: option.resourceRecordName, type: "CNAME", records: [option.resourceRecordValue] });
    const validation = cloud.one("aws:acm/certificateValidation:CertificateValidation").inputs;
    expect(validation).toEqual({ certificateArn: cert.state.arn, validationRecordFqdns: [validationRecord.state.fqdn] });

    const https = listener(443)!.inputs;
    expect(https).toMatchObject({ protocol: "HTTPS", sslPolicy: TLS_POLICY, certificateArn: cert.state.arn });
    expect(TLS_POLICY).toBe("ELBSecurityPolicy-TLS13-1-2-2021-06");
    expect(https.defaultActions).toEqual([{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404", messageBody: "Not Found" } }]);
    expect(listener(80)!.inputs).toMatchObject({
      protocol: "HTTP",
      defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
    });
    expectOnlyTurnsForwarded();

    const alias = cloud.one("aws:route53/record:Record", "-dns").inputs;
    const alb = cloud.one("aws:lb/loadBalancer:LoadBalancer").state;
    expect(alias).toMatchObject({ zoneId: domain.hostedZoneId, name: "bot.example.com", type: "A", aliases: [{ name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true }] });
    expect(await promiseOf(lb.url)).toBe("https://bot.example.com");
    expect(lb.mode).toBe("custom-domain");
    expect(lb.apiId).toBeUndefined();
  });

  it("health-checks /healthz on an ip target group", async () => {
    await cloud.build(() => new LoadBalancer("lb-tg", { ...base, domain, containerPort: 9000 }));
    expect(cloud.one("aws:lb/targetGroup:TargetGroup").inputs).toMatchObject({
      targetType: "ip",
      port: 9000,
      protocol: "HTTP",
      vpcId: "vpc-1",
      deregistrationDelay: 30,
      healthCheck: { path: "/healthz", matcher: "200", protocol: "HTTP", port: "traffic-port" },
    });
  });

  it("opens only 443 and 80 to the internet when no source ranges are given", async () => {
    await cloud.build(() => new LoadBalancer("lb-open", { ...base, domain }));
    expect(ingress().map((r) => [r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4]).sort()).toEqual([
      [443, 443, "0.0.0.0/0"],
      [80, 80, "0.0.0.0/0"],
    ]);
    expect(egress()).toHaveLength(0);
  });

  it("admits only the Genesys Bot Connector ranges when they are given", async () => {
    const cidrs = ["52.1.2.0/24", "3.4.5.6/32"];
    await cloud.build(() => new LoadBalancer("lb-ranges", { ...base, domain, allowedSourceCidrs: cidrs }));
    const rules = ingress();
    expect(rules).toHaveLength(4);
    expect(rules.some((r) => r.inputs.cidrIpv4 === "0.0.0.0/0")).toBe(false);
    for (const cidr of cidrs) {
      expect(rules.filter((r) => r.inputs.cidrIpv4 === cidr).map((r) => r.inputs.fromPort).sort()).toEqual([443, 80]);
    }
    expect(rules.map((r) => r.name)).toContain("lb-ranges-https-52-1-2-0-24");
  });

  it("uses a certificate it is given, without ACM or DNS records when there is no zone", async () => {
    const certificateArn = "arn:aws:acm:eu-west-1:123456789012:certificate/mine";
    const lb = await cloud.build(() => new LoadBalancer("lb-own", { ...base, domain: { name: "bot.example.com", certificateArn } }));
    expect(cloud.ofType("aws:acm/certificate:Certificate")).toHaveLength(0);
    expect(cloud.ofType("aws:route53/record:Record")).toHaveLength(0);
    expect(listener(443)!.inputs.certificateArn).toBe(certificateArn);
    expect(await promiseOf(lb.url)).toBe("https://bot.example.com");
  });
});

describe("LoadBalancer without a domain (API Gateway in front)", () => {
  let lb: LoadBalancer;
  beforeAll(async () => {
    lb = await cloud.build(() => new LoadBalancer("lb-api", { ...base, integrationTimeoutMs: 8000, throttling: { ratePerSecond: 20, burst: 40 } }));
  });

  it("keeps the ALB internal, in the private subnets, reachable only from the VPC link", () => {
    const alb = cloud.one("aws:lb/loadBalancer:LoadBalancer").inputs;
    expect(alb).toMatchObject({ internal: true, dropInvalidHeaderFields: true });
    expect(alb.subnets).toEqual(base.privateSubnetIds);
    const [albSg, linkSg] = ["lb-api-sg", "lb-api-vpclink-sg"].map((n) => cloud.named(n).id);
    expect(ingress().map((r) => r.inputs)).toEqual([expect.objectContaining({ securityGroupId: albSg, referencedSecurityGroupId: linkSg, fromPort: 80, toPort: 80 })]);
    expect(ingress().some((r) => r.inputs.cidrIpv4 !== undefined)).toBe(false);
    expect(egress().map((r) => r.inputs)).toEqual([expect.objectContaining({ securityGroupId: linkSg, referencedSecurityGroupId: albSg, fromPort: 80 })]);
    expect(cloud.ofType("aws:acm/certificate:Certificate")).toHaveLength(0);
    expectOnlyTurnsForwarded();
    expect(listener(80)!.inputs.defaultActions[0].type).toBe("fixed-response");
  });

  it("exposes one route, POST /botconnector/messages, through a VPC link to the ALB's listener", () => {
    const api = cloud.one("aws:apigatewayv2/api:Api");
    expect(api.inputs).toMatchObject({ protocolType: "HTTP", disableExecuteApiEndpoint: false });
    const link = cloud.one("aws:apigatewayv2/vpcLink:VpcLink");
    expect(link.inputs).toMatchObject({ subnetIds: base.privateSubnetIds, securityGroupIds: [cloud.named("lb-api-vpclink-sg").id] });
    const integration = cloud.one("aws:apigatewayv2/integration:Integration");
    expect(integration.inputs).toMatchObject({
      apiId: api.id,
      integrationType: "HTTP_PROXY",
      connectionType: "VPC_LINK",
      connectionId: link.id,
      integrationUri: listener(80)!.state.arn,
      timeoutMilliseconds: 8000,
    });
    expect(cloud.one("aws:apigatewayv2/route:Route").inputs).toEqual({ apiId: api.id, routeKey: "POST /botconnector/messages", target: `integrations/${integration.id}` });
  });

  it("deploys a throttled $default stage that logs access without headers, to a log group with retention", () => {
    const stage = cloud.one("aws:apigatewayv2/stage:Stage").inputs;
    const logs = cloud.one("aws:cloudwatch/logGroup:LogGroup");
    expect(stage).toMatchObject({ name: "$default", autoDeploy: true, defaultRouteSettings: { throttlingRateLimit: 20, throttlingBurstLimit: 40 } });
    expect(stage.accessLogSettings.destinationArn).toBe(logs.state.arn);
    const format = json<Record<string, string>>(stage.accessLogSettings.format);
    expect(format.status).toBe("$context.status");
    expect(JSON.stringify(format)).not.toMatch(/header/i);
    expect(logs.inputs.retentionInDays).toBe(30);
  });

  it("answers on API Gateway's HTTPS URL", async () => {
    expect(lb.mode).toBe("api-gateway");
    expect(await promiseOf(lb.url)).toBe(cloud.one("aws:apigatewayv2/api:Api").state.apiEndpoint);
    expect(await promiseOf(lb.url)).toMatch(/^https:\/\/[a-z0-9]{10}\.execute-api\.eu-west-1\.amazonaws\.com$/);
    expect(await promiseOf(lb.apiId!)).toBe(cloud.one("aws:apigatewayv2/api:Api").id);
  });
});

describe("LoadBalancer validation", () => {
  it.each<[string, LoadBalancerArgs, RegExp]>([
    ["source ranges without a domain", { ...base, allowedSourceCidrs: ["52.1.2.0/24"] }, /allowedSourceCidrs: source ranges can be enforced only with a custom domain/],
    ["a malformed range", { ...base, domain, allowedSourceCidrs: ["52.1.2.3/24"] }, /allowedSourceCidrs\[0\]: "52.1.2.3\/24" is not an IPv4 CIDR/],
    ["everything as a range", { ...base, domain, allowedSourceCidrs: ["0.0.0.0/0"] }, /0.0.0.0\/0 restricts nothing/],
    ["too many ranges", { ...base, domain, allowedSourceCidrs: Array.from({ length: 31 }, (_, i) => `10.0.${i}.0/24`) }, /at most 30/],
    ["a domain without zone or certificate", { ...base, domain: { name: "bot.example.com" } }, /domain: give hostedZoneId .* or certificateArn/],
    ["a domain that is no host name", { ...base, domain: { name: "https://bot.example.com", hostedZoneId: "Z1" } }, /domain.name/],
    ["a domain without public subnets", { vpcId: "v", privateSubnetIds: ["a", "b"], domain }, /publicSubnetIds: an internet-facing load balancer/],
    ["one private subnet", { ...base, privateSubnetIds: ["a"] }, /privateSubnetIds: needs subnets in at least two/],
    ["a privileged port", { ...base, containerPort: 80 }, /containerPort: must be an integer from 1024/],
    ["an integration timeout beyond API Gateway's", { ...base, integrationTimeoutMs: 60_000 }, /integrationTimeoutMs/],
  ])("refuses %s before creating anything", async (_, args, message) => {
    cloud.reset();
    expect(() => new LoadBalancer("bad", args)).toThrow(message);
    await cloud.settle();
    expect(cloud.resources).toHaveLength(0);
  });

  it("lists every problem at once", () => {
    let error: unknown;
    try {
      new LoadBalancer("bad", { ...base, privateSubnetIds: ["a"], containerPort: 1, allowedSourceCidrs: ["x"] });
    } catch (e) {
      error = e;
    }
    const errors = (error as { errors: { propertyPath: string }[] }).errors.map((e) => e.propertyPath);
    expect(errors).toEqual(expect.arrayContaining(["containerPort", "allowedSourceCidrs", "privateSubnetIds", "allowedSourceCidrs[0]"]));
  });
});
