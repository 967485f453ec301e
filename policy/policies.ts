/**
 * The security baseline of a virtual agent stack, as CrossGuard policies. `index.ts` only builds the pack from
 * `policies`; tests call these functions directly on the stack program's mocked resources.
 *
 * Written against resource types and their inputs alone (no import of the project's components): the pack checks
 * what a stack would create, whoever wrote the resources, so a regression in a component cannot also hide in
 * the rule that should catch it.
 *
 * Previews: values computed during a deployment (ARNs, a URL from a new API, an image digest) are unknown, and
 * reading one throws. Each check reads only what it needs and skips what it cannot know yet; `pulumi up` runs
 * the same policies again with every value known, before each resource is created.
 */
import {
  type PolicyResource,
  type ReportViolation,
  type ResourceValidation,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
  type StackValidationPolicy,
} from "@pulumi/policy";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- resource inputs are untyped JSON
type Props = Record<string, any>;

/** A type and the aliases the AWS provider keeps for it (a stack may use any of them). */
const TYPES = {
  listener: ["aws:lb/listener:Listener", "aws:alb/listener:Listener", "aws:elasticloadbalancingv2/listener:Listener"],
  loadBalancer: ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer", "aws:elasticloadbalancingv2/loadBalancer:LoadBalancer"],
  apiDomainName: ["aws:apigatewayv2/domainName:DomainName"],
  ecsService: ["aws:ecs/service:Service"],
  taskDefinition: ["aws:ecs/taskDefinition:TaskDefinition"],
  subnet: ["aws:ec2/subnet:Subnet"],
  securityGroup: ["aws:ec2/securityGroup:SecurityGroup"],
  ingressRule: ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"],
  legacyRule: ["aws:ec2/securityGroupRule:SecurityGroupRule"],
  logGroup: ["aws:cloudwatch/logGroup:LogGroup"],
  table: ["aws:dynamodb/table:Table"],
  repository: ["aws:ecr/repository:Repository"],
  messengerDeployment: ["genesyscloud:index/webdeploymentsDeployment:WebdeploymentsDeployment"],
  integration: ["genesyscloud:index/integration:Integration"],
  oauthClient: ["genesyscloud:index/oauthClient:OauthClient"],
} as const;

/** Dynamic resources share one provider type (older SDKs: exactly `pulumi-nodejs:dynamic:Resource`). */
const isDynamic = (type: string) => type === "pulumi-nodejs:dynamic:Resource" || type.startsWith("pulumi-nodejs:dynamic/");

/** TLS 1.3 with TLS 1.2 at least, forward-secret ciphers (not the Ext variants, which keep CBC and SHA-1 suites). */
export const MODERN_TLS_POLICY = /^ELBSecurityPolicy-TLS13-1-[23]-(?!Ext)[A-Za-z0-9-]+$/;
export const RECOMMENDED_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** Stacks whose names mark production, unless the policy config says otherwise. */
export const DEFAULT_PRODUCTION_STACKS = ["prod", "production"];
export const TOKEN_LIFETIME_SECONDS = { min: 300, max: 86400 };

/** Environment names that hold credentials, and the suffixes that only describe one (a header's name, an ARN). */
const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|CREDENTIAL|PRIVATE_?KEY|API_?KEY|ACCESS_?KEY)/i;
const DESCRIBES_A_SECRET = /(_HEADER|_NAME|_ARN|_ID|_URL|_URI|_PATH|_FILE|_REGION|_TTL|_SECONDS|_MS)$/i;
/** Values that are credentials whatever their name. */
const SECRET_VALUE = [/^AKIA[0-9A-Z]{16}$/, /-----BEGIN [A-Z ]*PRIVATE KEY-----/, /^(ghp|gho|github_pat|xox[abp])_[A-Za-z0-9_]{16,}/];

/** The analyzer's UnknownValueError (not in the SDK's type declarations): it carries the sentinel it met. */
const isUnknownError = (e: unknown) => typeof e === "object" && e !== null && "unknownTypeSentinel" in e;

/** Runs a check; a value it reads that a preview cannot know yet skips it (it runs again, with values, in `pulumi up`). */
function whenKnown(check: () => void): void {
  try {
    check();
  } catch (e) {
    if (!isUnknownError(e)) throw e;
  }
}

interface Check {
  /** The resource types the check is for. */
  applies: (type: string) => boolean;
  check: (props: Props, args: ResourceValidationArgs, report: ReportViolation) => void;
}

/** A check of these types. */
const forTypes = (types: readonly string[], check: Check["check"]): Check => ({ applies: (type) => types.includes(type), check });

/** One validation per policy, running the checks for the resource's type; not applicable to any other type. */
function validateByType(...checks: Check[]): ResourceValidation {
  return (args, report) => {
    const matching = checks.filter((c) => c.applies(args.type));
    if (matching.length === 0) args.notApplicable(`not a resource type this policy checks`);
    for (const c of matching) c.check(args.props, args, report);
  };
}

/** The stack name inside a URN (`urn:pulumi:<stack>::<project>::...`). */
export function stackOfUrn(urn: string): string | undefined {
  return /^urn:pulumi:([^:]+)::/.exec(urn)?.[1];
}

const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

const containersOf = (props: Props): Props[] => {
  const raw = props.containerDefinitions;
  const parsed: unknown = typeof raw === "string" ? JSON.parse(raw) : raw;
  return Array.isArray(parsed) ? (parsed as Props[]) : [];
};

const WORLD = ["0.0.0.0/0", "::/0"];
const PUBLIC_PORTS = [80, 443];

/** An ingress from the whole internet to anything but 443 (or 80, which only redirects) is a way around the load balancer. */
function openIngressProblem(cidrs: string[], protocol: string, fromPort: number | undefined, toPort: number | undefined): string | undefined {
  const open = cidrs.filter((c) => WORLD.includes(String(c).trim()));
  if (open.length === 0) return undefined;
  const tcp = protocol === "tcp" || protocol === "6";
  if (tcp && fromPort !== undefined && fromPort === toPort && PUBLIC_PORTS.includes(fromPort)) return undefined;
  const everything = protocol === "-1" || protocol === "all";
  const ports = everything || fromPort === undefined ? "every port" : fromPort === toPort ? `port ${fromPort}` : `ports ${fromPort}-${toPort}`;
  return `allows ${ports} (${everything ? "every protocol" : protocol}) from ${open.join(" and ")}; only a load balancer's 443 (and 80 for the HTTPS redirect) may be open to the internet. Open the service port to the load balancer's security group instead (referencedSecurityGroupId)`;
}

export const httpsModernTls: ResourceValidationPolicy = {
  name: "https-modern-tls",
  description: "HTTPS and TLS listeners, and API Gateway custom domains, use a modern TLS policy (TLS 1.2 at least, TLS 1.3 offered).",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: validateByType(
    forTypes(TYPES.listener, (props, _args, report) =>
      whenKnown(() => {
        const protocol = props.protocol;
        if (protocol !== "HTTPS" && protocol !== "TLS") return;
        const policy = props.sslPolicy;
        if (policy === undefined) {
          report(`${protocol} listener without sslPolicy gets the provider's default ELBSecurityPolicy-2016-08, which accepts TLS 1.0; set sslPolicy: "${RECOMMENDED_TLS_POLICY}"`);
        } else if (!MODERN_TLS_POLICY.test(policy)) {
          report(`sslPolicy ${policy} is not a modern TLS policy; set sslPolicy: "${RECOMMENDED_TLS_POLICY}" (or another ELBSecurityPolicy-TLS13-1-2/1-3 policy)`);
        }
      }),
    ),
    forTypes(TYPES.apiDomainName, (props, _args, report) =>
      whenKnown(() => {
        const policy = props.domainNameConfiguration?.securityPolicy;
        if (policy !== "TLS_1_2") report(`API Gateway domain name with security policy ${String(policy)}; set domainNameConfiguration.securityPolicy: "TLS_1_2"`);
      }),
    ),
  ),
};

export const publicHttpRedirectsToHttps: StackValidationPolicy = {
  name: "public-http-redirects-to-https",
  description: "On an internet-facing load balancer, a plain HTTP listener only redirects to HTTPS.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateStack: (args, report) => {
    const loadBalancers = args.resources.filter((r) => (TYPES.loadBalancer as readonly string[]).includes(r.type));
    const byArn = new Map<string, PolicyResource>();
    for (const lb of loadBalancers) whenKnown(() => typeof lb.props.arn === "string" && byArn.set(lb.props.arn, lb));
    for (const listener of args.resources.filter((r) => (TYPES.listener as readonly string[]).includes(r.type))) {
      whenKnown(() => {
        if (listener.props.protocol !== "HTTP") return;
        const lb = listener.propertyDependencies?.loadBalancerArn?.find((d) => loadBalancers.includes(d)) ?? byArn.get(listener.props.loadBalancerArn);
        if (!lb || lb.props.internal === true) return;
        const actions = asList<Props>(listener.props.defaultActions);
        const redirects = actions.length > 0 && actions.every((a) => a.type === "redirect" && a.redirect?.protocol === "HTTPS");
        if (!redirects) {
          report(
            `HTTP listener ${listener.name} on the internet-facing load balancer ${lb.name} serves plain HTTP; make its only default action { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }`,
            listener.urn,
          );
        }
      });
    }
  },
};

export const ecsTasksPrivate: ResourceValidationPolicy = {
  name: "ecs-tasks-private",
  description: "Tasks get no public IP and are reached only through a load balancer; subnets never hand out public IPs.",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateResource: validateByType(
    forTypes(TYPES.ecsService, (props, _args, report) => {
      whenKnown(() => {
        if (props.networkConfiguration?.assignPublicIp === true) {
          report("tasks get public IPs; set networkConfiguration.assignPublicIp: false and run them in private subnets (egress through NAT or VPC endpoints)");
        }
      });
      whenKnown(() => {
        if (asList(props.loadBalancers).length === 0) report("the service has no load balancer; attach its target group (loadBalancers) so the load balancer is the only way in");
      });
    }),
    forTypes(TYPES.subnet, (props, _args, report) =>
      whenKnown(() => {
        if (props.mapPublicIpOnLaunch === true) report("the subnet gives every network interface a public IP; set mapPublicIpOnLaunch: false (load balancers bring their own addresses)");
      }),
    ),
  ),
};

export const ingressOnlyHttpsFromInternet: ResourceValidationPolicy = {
  name: "ingress-only-https-from-internet",
  description: "Security groups open only 443 (and 80 for the redirect) to the internet; everything else comes from another security group.",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateResource: validateByType(
    forTypes(TYPES.ingressRule, (props, _args, report) =>
      whenKnown(() => {
        const problem = openIngressProblem([props.cidrIpv4, props.cidrIpv6].filter((c) => c !== undefined), String(props.ipProtocol), props.fromPort, props.toPort);
        if (problem) report(`the rule ${problem}`);
      }),
    ),
    forTypes(TYPES.legacyRule, (props, _args, report) =>
      whenKnown(() => {
        if (props.type !== "ingress") return;
        const problem = openIngressProblem([...asList<string>(props.cidrBlocks), ...asList<string>(props.ipv6CidrBlocks)], String(props.protocol), props.fromPort, props.toPort);
        if (problem) report(`the rule ${problem}`);
      }),
    ),
    forTypes(TYPES.securityGroup, (props, _args, report) =>
      whenKnown(() => {
        for (const rule of asList<Props>(props.ingress)) {
          const problem = openIngressProblem([...asList<string>(rule.cidrBlocks), ...asList<string>(rule.ipv6CidrBlocks)], String(rule.protocol), rule.fromPort, rule.toPort);
          if (problem) report(`an inline ingress rule ${problem}`);
        }
      }),
    ),
  ),
};

export const logRetentionSet: ResourceValidationPolicy = {
  name: "log-retention-set",
  description: "Every log group expires its logs.",
  enforcementLevel: "mandatory",
  severity: "medium",
  validateResource: validateByType(forTypes(TYPES.logGroup, (props, _args, report) =>
    whenKnown(() => {
      const days = props.retentionInDays;
      if (days === undefined || days === null || Number(days) <= 0) {
        report("the log group keeps its logs forever; set retentionInDays (e.g. 30, or 365 in production)");
      }
    }),
  )),
};

export const sessionTableProtected: ResourceValidationPolicy = {
  name: "session-table-recovery-and-encryption",
  description: "DynamoDB tables have point-in-time recovery and encryption with a KMS key.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: validateByType(forTypes(TYPES.table, (props, _args, report) => {
    whenKnown(() => {
      if (props.pointInTimeRecovery?.enabled !== true) report("point-in-time recovery is off; set pointInTimeRecovery: { enabled: true }");
    });
    whenKnown(() => {
      if (props.serverSideEncryption?.enabled !== true) {
        report("the table is not encrypted with a KMS key; set serverSideEncryption: { enabled: true } (and kmsKeyArn for a customer managed key)");
      }
    });
  })),
};

export const ecrScanAndImmutableTags: ResourceValidationPolicy = {
  name: "ecr-scan-on-push-immutable-tags",
  description: "Image repositories scan every push and never overwrite a tag.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: validateByType(forTypes(TYPES.repository, (props, _args, report) => {
    whenKnown(() => {
      if (props.imageTagMutability !== "IMMUTABLE") report(`tags are ${String(props.imageTagMutability ?? "MUTABLE")}; set imageTagMutability: "IMMUTABLE" so a deployed tag always means the same image`);
    });
    whenKnown(() => {
      if (props.imageScanningConfiguration?.scanOnPush !== true) report("pushed images are not scanned; set imageScanningConfiguration: { scanOnPush: true }");
    });
  })),
};

const ROOT_USER = /^(0|root)(:.*)?$/;

export const containersNonRootReadOnly: ResourceValidationPolicy = {
  name: "containers-non-root-read-only",
  description: "Containers run as a non-root user on a read-only root filesystem.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: validateByType(forTypes(TYPES.taskDefinition, (props, _args, report) =>
    whenKnown(() => {
      for (const c of containersOf(props)) {
        const user = typeof c.user === "string" ? c.user.trim() : "";
        if (user === "" || ROOT_USER.test(user)) {
          report(`container ${String(c.name)} runs as ${user === "" ? "the image's user (root unless the image says otherwise)" : user}; set user: "1000:1000" (the node user of the official Node images)`);
        }
        if (c.readonlyRootFilesystem !== true) {
          report(`container ${String(c.name)} can write to its root filesystem; set readonlyRootFilesystem: true and mount a volume where it must write (e.g. /tmp)`);
        }
      }
    }),
  )),
};

/** A plain value that must not be: named like a credential, or shaped like one. */
function plainSecretProblem(name: string, value: unknown): string | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  if (SECRET_NAME.test(name) && !DESCRIBES_A_SECRET.test(name)) return `${name} looks like a credential`;
  if (SECRET_VALUE.some((re) => re.test(value))) return `${name} holds what looks like a credential`;
  return undefined;
}

export const secretsByReferenceOnly: ResourceValidationPolicy = {
  name: "secrets-by-reference-only",
  description: "Containers get secrets by reference (Secrets Manager or SSM ARNs), never as plain environment values; dynamic resources carry no credentials.",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateResource: validateByType(
    forTypes(TYPES.taskDefinition, (props, _args, report) =>
      whenKnown(() => {
        for (const c of containersOf(props)) {
          for (const env of asList<Props>(c.environment)) {
            const problem = plainSecretProblem(String(env.name), env.value);
            if (problem) {
              report(`container ${String(c.name)}: ${problem} in plain text (it would sit in the task definition and the state); move it to secrets: [{ name: "${String(env.name)}", valueFrom: <Secrets Manager secret ARN> }]`);
            }
          }
          for (const s of asList<Props>(c.secrets)) {
            if (typeof s.valueFrom !== "string" || !/^arn:aws[a-z-]*:(secretsmanager|ssm):/.test(s.valueFrom)) {
              report(`container ${String(c.name)}: secret ${String(s.name)} is not a reference; valueFrom must be a Secrets Manager secret or SSM parameter ARN`);
            }
          }
        }
      }),
    ),
    {
      applies: isDynamic,
      check: (props, _args, report) =>
        whenKnown(() => {
          for (const [name, value] of Object.entries(props)) {
            if (name === "__provider") continue;
            const problem = plainSecretProblem(name, value);
            if (problem) report(`dynamic resource input ${problem}; read credentials when the provider runs (stack config or environment), never pass them as inputs`);
          }
        }),
    },
  ),
};

export const ecsDeploymentCircuitBreaker: ResourceValidationPolicy = {
  name: "ecs-deployment-circuit-breaker",
  description: "ECS deployments stop and roll back when new tasks do not become healthy.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: validateByType(forTypes(TYPES.ecsService, (props, _args, report) =>
    whenKnown(() => {
      const controller = props.deploymentController?.type ?? "ECS";
      if (controller !== "ECS") return; // CodeDeploy and external controllers roll back by their own means
      const breaker = props.deploymentCircuitBreaker;
      if (breaker?.enable !== true || breaker?.rollback !== true) {
        report("a failing deployment would keep replacing tasks; set deploymentCircuitBreaker: { enable: true, rollback: true }");
      }
    }),
  )),
};

export const messengerNotOpenInProduction: ResourceValidationPolicy = {
  name: "messenger-not-open-in-production",
  description: "In production stacks the Web Messenger loads only on listed domains.",
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema: {
    properties: {
      productionStacks: { type: "array", items: { type: "string" }, default: DEFAULT_PRODUCTION_STACKS, description: "Names of the production stacks." },
    },
  },
  validateResource: validateByType(forTypes(TYPES.messengerDeployment, (props, args, report) => {
    const production = args.getConfig<{ productionStacks?: string[] }>().productionStacks ?? DEFAULT_PRODUCTION_STACKS;
    const stack = stackOfUrn(args.urn);
    if (stack === undefined || !production.includes(stack)) return;
    whenKnown(() => {
      if (props.allowAllDomains === true) {
        report(`the Messenger of production stack ${stack} loads on every domain; set allowAllDomains: false and list the sites in allowedDomains (genesysMessengerAllowedDomains)`);
      } else if (asList(props.allowedDomains).length === 0) {
        report(`the Messenger of production stack ${stack} lists no allowed domain; list the sites that embed it in allowedDomains (genesysMessengerAllowedDomains)`);
      }
    });
  })),
};

/** Every URL among an integration's config properties (the Handle Utterance URI's key is the type's own). */
function urlsIn(value: unknown): string[] {
  if (typeof value === "string") return /^[a-z][a-z0-9+.-]*:\/\//i.test(value.trim()) ? [value.trim()] : [];
  if (Array.isArray(value)) return value.flatMap(urlsIn);
  if (value && typeof value === "object") return Object.values(value).flatMap(urlsIn);
  return [];
}

export const botConnectorEnabledHttps: ResourceValidationPolicy = {
  name: "bot-connector-enabled-https",
  description: "Genesys integrations are enabled and call their endpoint over HTTPS.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: validateByType(forTypes(TYPES.integration, (props, _args, report) => {
    whenKnown(() => {
      if (props.intendedState !== "ENABLED") {
        report(`the integration is ${String(props.intendedState ?? "DISABLED (the provider's default)")}, so Architect cannot call the bot; set intendedState: "ENABLED"`);
      }
    });
    whenKnown(() => {
      const raw = props.config?.properties;
      if (raw === undefined) return report("the integration has no config properties, so no Handle Utterance URI; set config.properties to the service's https URL");
      let parsed: unknown;
      try {
        parsed = typeof raw === "string" ? JSON.parse(raw) : raw;
      } catch {
        return report("config.properties is not JSON; set it to a JSON object holding the Handle Utterance URI");
      }
      const urls = urlsIn(parsed);
      if (urls.length === 0) report("config.properties holds no URL; set the Handle Utterance URI to the service's https URL + /botconnector/messages");
      for (const url of urls.filter((u) => !/^https:\/\//i.test(u))) {
        report(`${url} is not HTTPS: the verify token would cross the internet in clear text; serve the endpoint over HTTPS (a custom domain or API Gateway) and use its https URL`);
      }
    });
  })),
};

export const oauthTokenLifetime: ResourceValidationPolicy = {
  name: "oauth-token-lifetime",
  description: `Genesys OAuth clients issue tokens valid for ${TOKEN_LIFETIME_SECONDS.min} s to ${TOKEN_LIFETIME_SECONDS.max} s.`,
  enforcementLevel: "mandatory",
  severity: "medium",
  configSchema: {
    properties: {
      maxSeconds: { type: "integer", default: TOKEN_LIFETIME_SECONDS.max, description: "Longest token lifetime allowed." },
    },
  },
  validateResource: validateByType(forTypes(TYPES.oauthClient, (props, args, report) =>
    whenKnown(() => {
      const max = args.getConfig<{ maxSeconds?: number }>().maxSeconds ?? TOKEN_LIFETIME_SECONDS.max;
      const seconds = props.accessTokenValiditySeconds;
      if (seconds === undefined) return; // Genesys's default, 86400
      if (!(Number(seconds) >= TOKEN_LIFETIME_SECONDS.min && Number(seconds) <= max)) {
        report(`access tokens would live ${String(seconds)} s; set accessTokenValiditySeconds between ${TOKEN_LIFETIME_SECONDS.min} and ${max} (a leaked token stays usable that long)`);
      }
    }),
  )),
};

/** Every policy of the baseline, in the order the pack reports them. */
export const policies: Array<ResourceValidationPolicy | StackValidationPolicy> = [
  httpsModernTls,
  publicHttpRedirectsToHttps,
  ecsTasksPrivate,
  ingressOnlyHttpsFromInternet,
  logRetentionSet,
  sessionTableProtected,
  ecrScanAndImmutableTags,
  containersNonRootReadOnly,
  secretsByReferenceOnly,
  ecsDeploymentCircuitBreaker,
  messengerNotOpenInProduction,
  botConnectorEnabledHttps,
  oauthTokenLifetime,
];
