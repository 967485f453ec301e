/**
 * The HTTPS front door of the Bot Connector endpoint.
 *
 * Every stack gets an HTTPS Handle Utterance URI, with or without a custom domain:
 *
 * - With a custom domain (`domain`): an internet-facing ALB in the public subnets, an HTTPS listener
 *   with the TLS 1.2/1.3 policy ELBSecurityPolicy-TLS13-1-2-2021-06 and an ACM certificate validated by
 *   DNS in the given Route 53 zone (or a certificate you bring), HTTP 301 to HTTPS, and an alias record.
 *   Can enforce: TLS policy of your choice, the Genesys Bot Connector source ranges (`allowedSourceCidrs`
 *   become the only security group ingress), a stable name that survives re-creating the stack.
 *
 * - Without a domain: ACM cannot issue a certificate for the ALB's own `*.elb.amazonaws.com` name, so an
 *   API Gateway HTTP API sits in front. Its default `https://<id>.execute-api.<region>.amazonaws.com`
 *   endpoint serves TLS 1.2 and 1.3 only (API Gateway enforces the TLS_1_2 policy on every HTTP API
 *   endpoint) with an Amazon certificate. It reaches an internal ALB in the private subnets through a
 *   VPC link; that last hop is plain HTTP inside the VPC (the ALB has no certificate to offer), and the
 *   internal ALB accepts connections only from the VPC link's security group.
 *   Can enforce: TLS 1.2+, stage throttling, nothing reachable but the one route. Cannot enforce source
 *   ranges: HTTP APIs have neither resource policies nor WAF, and the ALB sees the VPC link's addresses,
 *   so `allowedSourceCidrs` is refused in this mode rather than silently ignored. The verify token (checked
 *   in constant time by the service) remains the authentication in both modes. The URL changes if the API
 *   is re-created, so the Genesys integration must take it from this stack's output.
 *   Considered and not chosen: a REST API (resource policies could filter source IPs, and REST APIs now
 *   reach ALBs through VPC link v2) needs an account-wide CloudWatch role for its logs, a deployment
 *   resource to redeploy, and costs more; CloudFront's default certificate accepts TLS 1.0.
 *
 * In both modes only the protocol's routes are forwarded to the service (`routes`: the Bot Connector's
 * `POST /botconnector/messages`, or the Digital Bot Connector's three routes under `/digitalbotconnector`);
 * `/healthz`, `/readyz` and `/metrics` are reachable only by the load balancer's health checks from inside the VPC.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { TURN_ROUTE } from "../../service/src/protocol/types";
import { parseIpv4Cidr } from "./cidr";
import { DEFAULT_IDLE_TIMEOUT_SECONDS } from "./connectionFigures";
import { LOG_RETENTION_DAYS } from "./platform";
import { checkInteger, childTags, failOnProblems, isKnown, Problems } from "./validation";

export const LOAD_BALANCER_TYPE = "virtual-agent:aws:LoadBalancer";

/** The Bot Connector Handle Utterance path the service answers (ARCHITECTURE.md); the integration appends it to `url`. */
export const BOT_CONNECTOR_PATH = TURN_ROUTE;

/** A route the front door forwards to the service: a method and a path, `{name}` standing for one path segment. */
export interface EndpointRoute {
  method: "GET" | "POST";
  path: string;
}

/** The Bot Connector's one route; the Digital Bot Connector's are DIGITAL_ENDPOINTS. */
export const BOT_CONNECTOR_ROUTES: readonly EndpointRoute[] = [{ method: "POST", path: BOT_CONNECTOR_PATH }];

/** `/a/{id}` → `/a/*`: an ALB path pattern (its `*` may match more than one segment; the service checks the rest). */
const albPattern = (path: string) => path.replace(/\{[^/}]+\}/g, "*");
/** The liveness path the target group checks. */
export const HEALTH_CHECK_PATH = "/healthz";
/** TLS 1.3 and 1.2 only, forward-secret ciphers; the provider's default policy would still allow TLS 1.0. */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** Each allowed range takes two ingress rules (443 and 80); security groups hold 60 rules by default. */
const MAX_SOURCE_CIDRS = 30;

export interface CustomDomainArgs {
  /** The host name Genesys calls, e.g. `bot.example.com`. */
  name: string;
  /** Route 53 hosted zone of `name`: the certificate is validated by DNS there, and an alias record points `name` at the load balancer. */
  hostedZoneId?: pulumi.Input<string>;
  /** An ACM certificate (same region) covering `name`, instead of issuing one. Without `hostedZoneId`, point DNS at `dnsName` yourself. */
  certificateArn?: pulumi.Input<string>;
}

export interface LoadBalancerArgs {
  vpcId: pulumi.Input<string>;
  /** Private subnets: the internal ALB and the VPC link without a domain. */
  privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Public subnets for the internet-facing ALB; required with `domain`. */
  publicSubnetIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** The port the service listens on (default 8080). */
  containerPort?: number;
  /** A custom domain: an internet-facing ALB with an ACM certificate. Without it, API Gateway provides HTTPS (see the module comment). */
  domain?: CustomDomainArgs;
  /**
   * Source ranges allowed to reach the endpoint: the Genesys Bot Connector ranges of the org's region
   * (`GET /api/v2/ipranges`, entries with `service: "bot-connector"`), IPv4 CIDRs, at most 30. Only with
   * `domain`. Default: open to the internet (the verify token authenticates every turn).
   */
  allowedSourceCidrs?: string[];
  /** Refuse to delete the load balancer (default false; turn on in production). */
  deletionProtection?: boolean;
  /** Seconds an idle connection stays open (default 60); the service's keep-alive timeout is set 5 s longer from it. */
  idleTimeoutSeconds?: number;
  /** Seconds a deregistering task keeps receiving in-flight requests (default 30). */
  deregistrationDelaySeconds?: number;
  /** ALB access logs to this S3 bucket (its policy must allow the regional ELB account to write). Default: off. */
  accessLogs?: { bucket: pulumi.Input<string>; prefix?: string };
  /** Without a domain: how long API Gateway waits for the service, in ms (default 29 000, at most 30 000). */
  integrationTimeoutMs?: number;
  /** Without a domain: stage throttling (default 100 requests per second, bursts of 200). */
  throttling?: { ratePerSecond: number; burst: number };
  /** Without a domain: retention of the API access log in days (default 30). */
  apiAccessLogRetentionDays?: number;
  /**
   * The routes forwarded to the service, and only these (default: the Bot Connector's `POST /botconnector/messages`;
   * the Digital Bot Connector's are its three routes under `/digitalbotconnector`).
   */
  routes?: readonly EndpointRoute[];
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

const HOSTNAME = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/;

export function validateLoadBalancerArgs(args: LoadBalancerArgs, problems = new Problems()): Problems {
  checkInteger(problems, "containerPort", args.containerPort, 1024, 65535);
  checkInteger(problems, "idleTimeoutSeconds", args.idleTimeoutSeconds, 1, 4000);
  checkInteger(problems, "deregistrationDelaySeconds", args.deregistrationDelaySeconds, 0, 3600);
  if (args.domain) {
    problems.require(HOSTNAME.test(args.domain.name), "domain.name", `"${args.domain.name}" is not a lowercase DNS host name like bot.example.com`);
    problems.require(
      args.domain.hostedZoneId !== undefined || args.domain.certificateArn !== undefined,
      "domain",
      "give hostedZoneId (to issue and validate a certificate) or certificateArn (a certificate you manage)",
    );
    if (args.publicSubnetIds === undefined) problems.add("publicSubnetIds", "an internet-facing load balancer for the custom domain needs public subnets");
    else if (isKnown(args.publicSubnetIds)) {
      problems.require(args.publicSubnetIds.length >= 2, "publicSubnetIds", `needs subnets in at least two availability zones, got ${args.publicSubnetIds.length}`);
    }
  } else {
    if (args.allowedSourceCidrs !== undefined) {
      problems.add(
        "allowedSourceCidrs",
        "source ranges can be enforced only with a custom domain (domain): without one, API Gateway's HTTP API provides HTTPS and cannot filter by source address",
      );
    }
  }
  if (isKnown(args.privateSubnetIds)) {
    problems.require(args.privateSubnetIds.length >= 2, "privateSubnetIds", `needs subnets in at least two availability zones, got ${args.privateSubnetIds.length}`);
  }
  if (args.allowedSourceCidrs !== undefined) {
    const cidrs = args.allowedSourceCidrs;
    problems.require(cidrs.length > 0, "allowedSourceCidrs", "is empty: leave it out to allow every source, or list the Genesys ranges");
    problems.require(cidrs.length <= MAX_SOURCE_CIDRS, "allowedSourceCidrs", `lists ${cidrs.length} ranges; at most ${MAX_SOURCE_CIDRS} fit the security group`);
    cidrs.forEach((cidr, i) => {
      if (!parseIpv4Cidr(cidr)) problems.add(`allowedSourceCidrs[${i}]`, `"${cidr}" is not an IPv4 CIDR with its host bits zero (e.g. 203.0.113.0/24)`);
      else if (cidr.trim() === "0.0.0.0/0") problems.add(`allowedSourceCidrs[${i}]`, "0.0.0.0/0 restricts nothing; leave allowedSourceCidrs out instead");
    });
    problems.require(new Set(cidrs).size === cidrs.length, "allowedSourceCidrs", "lists a range twice");
  }
  checkInteger(problems, "integrationTimeoutMs", args.integrationTimeoutMs, 50, 30_000);
  if (args.throttling) {
    problems.require(args.throttling.ratePerSecond > 0, "throttling.ratePerSecond", "must be positive");
    checkInteger(problems, "throttling.burst", args.throttling.burst, 1, 5000);
  }
  if (args.routes !== undefined) {
    problems.require(args.routes.length > 0 && args.routes.length <= 10, "routes", "must list 1 to 10 routes");
    args.routes.forEach((r, i) => problems.require(/^\/[A-Za-z0-9/_{}.-]*$/.test(r.path) && ["GET", "POST"].includes(r.method), `routes[${i}]`, `"${r.method} ${r.path}" is not a GET or POST of an absolute path`));
  }
  if (args.apiAccessLogRetentionDays !== undefined) {
    problems.require(LOG_RETENTION_DAYS.includes(args.apiAccessLogRetentionDays), "apiAccessLogRetentionDays", `must be one of ${LOG_RETENTION_DAYS.join(", ")}`);
  }
  return problems;
}

/** A resource-name-safe label for a CIDR: `203.0.113.0/24` → `203-0-113-0-24`. */
const cidrLabel = (cidr: string) => cidr.trim().replace(/[./]/g, "-");

export type EndpointMode = "custom-domain" | "api-gateway";

export class LoadBalancer extends pulumi.ComponentResource {
  readonly mode: EndpointMode;
  /** The idle timeout set on the load balancer: the service's keep-alive timeout is derived from it. */
  readonly idleTimeoutSeconds: number;
  readonly loadBalancer: aws.lb.LoadBalancer;
  readonly targetGroup: aws.lb.TargetGroup;
  readonly securityGroup: aws.ec2.SecurityGroup;
  /** The HTTPS base URL Genesys calls; the integration appends `/botconnector/messages`. */
  readonly url: pulumi.Output<string>;
  readonly dnsName: pulumi.Output<string>;
  readonly securityGroupId: pulumi.Output<string>;
  readonly targetGroupArn: pulumi.Output<string>;
  readonly targetGroupArnSuffix: pulumi.Output<string>;
  readonly loadBalancerArnSuffix: pulumi.Output<string>;
  /** The HTTP API's id without a domain (for its alarms), else undefined. */
  readonly apiId: pulumi.Output<string> | undefined;

  constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
    failOnProblems(LOAD_BALANCER_TYPE, name, validateLoadBalancerArgs(args));
    super(LOAD_BALANCER_TYPE, name, {}, opts);
    const parent = { parent: this };
    const tags = (suffix?: string) => childTags(args.tags, suffix ? `${name}-${suffix}` : undefined);
    const port = args.containerPort ?? 8080;
    const domain = args.domain;
    this.mode = domain ? "custom-domain" : "api-gateway";
    this.idleTimeoutSeconds = args.idleTimeoutSeconds ?? DEFAULT_IDLE_TIMEOUT_SECONDS;

    this.securityGroup = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      {
        vpcId: args.vpcId,
        description: domain ? "Bot Connector load balancer: HTTPS from Genesys" : "Bot Connector internal load balancer: from the API Gateway VPC link only",
        tags: tags("lb"),
      },
      parent,
    );

    this.loadBalancer = new aws.lb.LoadBalancer(
      `${name}-alb`,
      {
        loadBalancerType: "application",
        internal: !domain,
        subnets: domain ? args.publicSubnetIds! : args.privateSubnetIds,
        securityGroups: [this.securityGroup.id],
        ipAddressType: "ipv4",
        dropInvalidHeaderFields: true,
        enableDeletionProtection: args.deletionProtection ?? false,
        idleTimeout: this.idleTimeoutSeconds,
        ...(args.accessLogs ? { accessLogs: { bucket: args.accessLogs.bucket, prefix: args.accessLogs.prefix ?? name, enabled: true } } : {}),
        tags: tags("alb"),
      },
      parent,
    );

    this.targetGroup = new aws.lb.TargetGroup(
      `${name}-tg`,
      {
        vpcId: args.vpcId,
        targetType: "ip",
        port,
        protocol: "HTTP",
        deregistrationDelay: args.deregistrationDelaySeconds ?? 30,
        healthCheck: {
          enabled: true,
          path: HEALTH_CHECK_PATH,
          protocol: "HTTP",
          port: "traffic-port",
          matcher: "200",
          interval: 15,
          timeout: 5,
          healthyThreshold: 2,
          unhealthyThreshold: 3,
        },
        tags: tags("tg"),
      },
      parent,
    );

    const routes = args.routes ?? BOT_CONNECTOR_ROUTES;
    let turnsRules: aws.lb.ListenerRule[];
    if (domain) {
      this.openToInternetOrRanges(name, args.allowedSourceCidrs);
      const certificateArn = domain.certificateArn ?? this.issueCertificate(name, domain.name, domain.hostedZoneId!, args.tags);
      const https = new aws.lb.Listener(
        `${name}-https`,
        {
          loadBalancerArn: this.loadBalancer.arn,
          port: 443,
          protocol: "HTTPS",
          sslPolicy: TLS_POLICY,
          certificateArn,
          defaultActions: [notFound()],
          tags: tags("https"),
        },
        parent,
      );
      turnsRules = this.forwardTurns(name, https, routes);
      new aws.lb.Listener(
        `${name}-http`,
        {
          loadBalancerArn: this.loadBalancer.arn,
          port: 80,
          protocol: "HTTP",
          defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
          tags: tags("http"),
        },
        parent,
      );
      if (domain.hostedZoneId !== undefined) {
        new aws.route53.Record(
          `${name}-dns`,
          {
            zoneId: domain.hostedZoneId,
            name: domain.name,
            type: "A",
            aliases: [{ name: this.loadBalancer.dnsName, zoneId: this.loadBalancer.zoneId, evaluateTargetHealth: true }],
          },
          parent,
        );
      }
      this.url = pulumi.output(`https://${domain.name}`);
      this.apiId = undefined;
    } else {
      const front = this.apiGatewayFront(name, args, routes);
      turnsRules = front.turnsRules;
      this.url = front.url;
      this.apiId = front.apiId;
    }

    this.dnsName = this.loadBalancer.dnsName;
    this.securityGroupId = this.securityGroup.id;
    // ECS refuses a target group no listener uses yet: consumers of this ARN wait for the forwarding rule.
    this.targetGroupArn = pulumi.all([this.targetGroup.arn, ...turnsRules.map((r) => r.arn)]).apply(([arn]) => arn as string);
    this.targetGroupArnSuffix = this.targetGroup.arnSuffix;
    this.loadBalancerArnSuffix = this.loadBalancer.arnSuffix;
    this.registerOutputs({
      url: this.url,
      mode: this.mode,
      dnsName: this.dnsName,
      securityGroupId: this.securityGroupId,
      targetGroupArn: this.targetGroupArn,
      apiId: this.apiId,
    });
  }

  /** 443 (and 80, which only redirects) from the allowed ranges, or from anywhere when none are given. */
  private openToInternetOrRanges(name: string, cidrs: string[] | undefined): void {
    const sources = cidrs?.map((c) => ({ cidr: c.trim(), label: cidrLabel(c) })) ?? [{ cidr: "0.0.0.0/0", label: "anywhere" }];
    for (const { cidr, label } of sources) {
      for (const [scheme, port] of [
        ["https", 443],
        ["http", 80],
      ] as const) {
        new aws.vpc.SecurityGroupIngressRule(
          `${name}-${scheme}-${label}`,
          {
            securityGroupId: this.securityGroup.id,
            ipProtocol: "tcp",
            fromPort: port,
            toPort: port,
            cidrIpv4: cidr,
            description: cidrs ? `Genesys Bot Connector range, ${scheme}` : `${scheme} from the internet (no source ranges configured)`,
          },
          { parent: this },
        );
      }
    }
  }

  /** An ACM certificate for the name, validated through a DNS record in the hosted zone. */
  private issueCertificate(
    name: string,
    domainName: string,
    zoneId: pulumi.Input<string>,
    tags: LoadBalancerArgs["tags"],
  ): pulumi.Output<string> {
    const certificate = new aws.acm.Certificate(
      `${name}-cert`,
      { domainName, validationMethod: "DNS", keyAlgorithm: "RSA_2048", tags: childTags(tags, `${name}-cert`) },
      { parent: this },
    );
    const option = certificate.domainValidationOptions.apply((options) => {
      const match = options.find((o) => o.domainName === domainName) ?? options[0];
      if (!match) throw new Error(`${name}: ACM returned no DNS validation record for ${domainName}`);
      return match;
    });
    const record = new aws.route53.Record(
      `${name}-cert-validation`,
      {
        zoneId,
        name: option.resourceRecordName,
        type: option.resourceRecordType,
        records: [option.resourceRecordValue],
        ttl: 300,
        // ACM's validation record is the same for every certificate of this name in the account: reuse it.
        allowOverwrite: true,
      },
      { parent: this },
    );
    const validation = new aws.acm.CertificateValidation(
      `${name}-cert-validation`,
      { certificateArn: certificate.arn, validationRecordFqdns: [record.fqdn] },
      { parent: this },
    );
    // The listener takes the ARN from the validation, so it waits until the certificate is issued.
    return validation.certificateArn;
  }

  /** The one forwarding rule: Bot Connector turns. Everything else gets the listener's 404. */
  /** One listener rule per route (the first keeps the Bot Connector's name and priority); everything else is 404. */
  private forwardTurns(name: string, listener: aws.lb.Listener, routes: readonly EndpointRoute[]): aws.lb.ListenerRule[] {
    return routes.map(
      (route, i) =>
        new aws.lb.ListenerRule(
          i === 0 ? `${name}-turns` : `${name}-turns-${i + 1}`,
          {
            listenerArn: listener.arn,
            priority: 10 + i,
            conditions: [{ pathPattern: { values: [albPattern(route.path)] } }, { httpRequestMethod: { values: [route.method] } }],
            actions: [{ type: "forward", targetGroupArn: this.targetGroup.arn }],
          },
          { parent: this },
        ),
    );
  }

  private apiGatewayFront(
    name: string,
    args: LoadBalancerArgs,
    routes: readonly EndpointRoute[],
  ): { url: pulumi.Output<string>; apiId: pulumi.Output<string>; turnsRules: aws.lb.ListenerRule[] } {
    const parent = { parent: this };
    const tags = (suffix: string) => childTags(args.tags, `${name}-${suffix}`);

    const linkSg = new aws.ec2.SecurityGroup(
      `${name}-vpclink-sg`,
      { vpcId: args.vpcId, description: "API Gateway VPC link to the internal Bot Connector load balancer", tags: tags("vpclink") },
      parent,
    );
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-from-vpclink`,
      {
        securityGroupId: this.securityGroup.id,
        referencedSecurityGroupId: linkSg.id,
        ipProtocol: "tcp",
        fromPort: 80,
        toPort: 80,
        description: "From the API Gateway VPC link only",
      },
      parent,
    );
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-vpclink-to-alb`,
      {
        securityGroupId: linkSg.id,
        referencedSecurityGroupId: this.securityGroup.id,
        ipProtocol: "tcp",
        fromPort: 80,
        toPort: 80,
        description: "To the internal load balancer",
      },
      parent,
    );

    const listener = new aws.lb.Listener(
      `${name}-http`,
      { loadBalancerArn: this.loadBalancer.arn, port: 80, protocol: "HTTP", defaultActions: [notFound()], tags: tags("http") },
      parent,
    );
    const turnsRules = this.forwardTurns(name, listener, routes);

    const link = new aws.apigatewayv2.VpcLink(`${name}-vpclink`, { subnetIds: args.privateSubnetIds, securityGroupIds: [linkSg.id], tags: tags("vpclink") }, parent);
    const api = new aws.apigatewayv2.Api(
      `${name}-api`,
      { protocolType: "HTTP", description: "Genesys Bot Connector endpoint", disableExecuteApiEndpoint: false, tags: tags("api") },
      parent,
    );
    const integration = new aws.apigatewayv2.Integration(
      `${name}-integration`,
      {
        apiId: api.id,
        integrationType: "HTTP_PROXY",
        // Only POST routes keep the integration POST-only; the Digital Bot Connector's GETs pass their method through.
        integrationMethod: routes.every((r) => r.method === "POST") ? "POST" : "ANY",
        connectionType: "VPC_LINK",
        connectionId: link.id,
        // For a private integration with an ALB, the URI is the listener's ARN.
        integrationUri: listener.arn,
        payloadFormatVersion: "1.0",
        timeoutMilliseconds: args.integrationTimeoutMs ?? 29_000,
      },
      parent,
    );
    routes.forEach(
      (route, i) =>
        new aws.apigatewayv2.Route(
          i === 0 ? `${name}-route` : `${name}-route-${i + 1}`,
          { apiId: api.id, routeKey: `${route.method} ${route.path}`, target: pulumi.interpolate`integrations/${integration.id}` },
          parent,
        ),
    );
    const accessLogs = new aws.cloudwatch.LogGroup(
      `${name}-api-logs`,
      { retentionInDays: args.apiAccessLogRetentionDays ?? 30, tags: tags("api-logs") },
      parent,
    );
    const throttling = args.throttling ?? { ratePerSecond: 100, burst: 200 };
    new aws.apigatewayv2.Stage(
      `${name}-stage`,
      {
        apiId: api.id,
        name: "$default",
        autoDeploy: true,
        defaultRouteSettings: { throttlingRateLimit: throttling.ratePerSecond, throttlingBurstLimit: throttling.burst },
        // No headers are logged: the verify token travels in one.
        accessLogSettings: {
          destinationArn: accessLogs.arn,
          format: JSON.stringify({
            requestId: "$context.requestId",
            sourceIp: "$context.identity.sourceIp",
            requestTime: "$context.requestTime",
            routeKey: "$context.routeKey",
            status: "$context.status",
            protocol: "$context.protocol",
            responseLength: "$context.responseLength",
            latency: "$context.responseLatency",
            integrationStatus: "$context.integrationStatus",
            integrationLatency: "$context.integrationLatency",
            integrationError: "$context.integrationErrorMessage",
          }),
        },
        tags: tags("stage"),
      },
      parent,
    );
    return { url: api.apiEndpoint, apiId: api.id, turnsRules };
  }
}

function notFound(): aws.types.input.lb.ListenerDefaultAction {
  return { type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404", messageBody: "Not Found" } };
}
