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
import { type PolicyResource, type ResourceValidationPolicy, type StackValidationPolicy } from "@pulumi/policy";
import { reachesInternet } from "./cidr";
import { genesysPolicies } from "./genesys";
import { hardeningPolicies } from "./hardening";
import { iamPolicies } from "./iam";
import { productionPolicies } from "./production";
import { secretInputPaths } from "./secrets/secretInputs";
import { DEFAULT_LIMITS, scanForSecrets } from "./secrets/scan";
import {
  asList,
  containersOf,
  forTypes,
  isDynamic,
  isOneOf,
  PRODUCTION_STACKS_PROPERTY,
  type ProductionConfig,
  productionStack,
  type Props,
  resourceLabel,
  TYPES,
  validateByType,
  whenKnown,
  whenKnownAsync,
} from "./support";

export { DEFAULT_PRODUCTION_STACKS, stackOfUrn } from "./support";

/** TLS 1.3 with TLS 1.2 at least, forward-secret ciphers (not the Ext variants, which keep CBC and SHA-1 suites). */
export const MODERN_TLS_POLICY = /^ELBSecurityPolicy-TLS13-1-[23]-(?!Ext)[A-Za-z0-9-]+$/;
export const RECOMMENDED_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export const TOKEN_LIFETIME_SECONDS = { min: 300, max: 86400 };

const PUBLIC_PORTS = [80, 443];

/**
 * An ingress from the internet (any range beyond the private networks, not only 0.0.0.0/0) to anything but 443
 * (or 80, which only redirects) is a way around the load balancer.
 */
function openIngressProblem(cidrs: unknown[], rawProtocol: unknown, fromPort: number | undefined, toPort: number | undefined): string | undefined {
  const open = cidrs.filter((c) => c !== undefined && c !== null && reachesInternet(String(c))).map(String);
  if (open.length === 0) return undefined;
  const protocol = String(rawProtocol).toLowerCase();
  const tcp = protocol === "tcp" || protocol === "6";
  if (tcp && fromPort !== undefined && fromPort === toPort && PUBLIC_PORTS.includes(Number(fromPort))) return undefined;
  const everything = protocol === "-1" || protocol === "all";
  const ports = everything || fromPort === undefined ? "every port" : fromPort === toPort ? `port ${fromPort}` : `ports ${fromPort}-${toPort}`;
  return `allows ${ports} (${everything ? "every protocol" : protocol}) from ${open.join(" and ")}, which reaches beyond the private networks; only a load balancer's 443 (and 80 for the HTTPS redirect) may be open to the internet. Open the service port to the load balancer's security group instead (referencedSecurityGroupId)`;
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

const REDIRECT_TO_HTTPS = `{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }`;

/** Every action redirects to HTTPS (a fixed response or a forward would answer over plain HTTP). */
const onlyRedirects = (actions: unknown) => {
  const list = asList<Props>(actions as Props[]);
  return list.length > 0 && list.every((a) => a.type === "redirect" && a.redirect?.protocol === "HTTPS");
};

export const publicHttpRedirectsToHttps: StackValidationPolicy = {
  name: "public-http-redirects-to-https",
  description: "On an internet-facing load balancer, a plain HTTP listener only redirects to HTTPS: its default actions and every rule of it.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateStack: (args, report) => {
    const ofType = (types: readonly string[]) => args.resources.filter((r) => isOneOf(types, r.type));
    const byArn = (resources: PolicyResource[]) => {
      const map = new Map<string, PolicyResource>();
      for (const r of resources) whenKnown(() => typeof r.props.arn === "string" && map.set(r.props.arn, r));
      return map;
    };
    const loadBalancers = ofType(TYPES.loadBalancer);
    const loadBalancerByArn = byArn(loadBalancers);
    /** Plain HTTP listeners of internet-facing load balancers, with their load balancer. */
    const publicHttp = new Map<PolicyResource, PolicyResource>();
    for (const listener of ofType(TYPES.listener)) {
      whenKnown(() => {
        const lb = listener.propertyDependencies?.loadBalancerArn?.find((d) => loadBalancers.includes(d)) ?? loadBalancerByArn.get(listener.props.loadBalancerArn);
        if (!lb || lb.props.internal === true) return;
        // An application load balancer's listener without a protocol is plain HTTP.
        const application = (lb.props.loadBalancerType ?? "application") === "application";
        const protocol = listener.props.protocol ?? (application ? "HTTP" : undefined);
        if (protocol === "HTTP") publicHttp.set(listener, lb);
      });
    }
    for (const [listener, lb] of publicHttp) {
      whenKnown(() => {
        if (!onlyRedirects(listener.props.defaultActions)) {
          report(
            `${resourceLabel(listener.type, listener.name)}: defaultActions serve plain HTTP on the internet-facing load balancer ${lb.name}; make its only default action ${REDIRECT_TO_HTTPS}`,
            listener.urn,
          );
        }
      });
    }
    const listeners = [...publicHttp.keys()];
    const listenerByArn = byArn(listeners);
    for (const rule of ofType(TYPES.listenerRule)) {
      whenKnown(() => {
        const listener = rule.propertyDependencies?.listenerArn?.find((d) => listeners.includes(d)) ?? listenerByArn.get(rule.props.listenerArn);
        if (!listener || onlyRedirects(rule.props.actions)) return;
        report(
          `${resourceLabel(rule.type, rule.name)}: actions serve plain HTTP on the HTTP listener ${listener.name} of the internet-facing load balancer ${publicHttp.get(listener)!.name}; attach the rule to the HTTPS listener, or make its only action ${REDIRECT_TO_HTTPS}`,
          rule.urn,
        );
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

/** The inline rules of a security group (or of the VPC's default one) that let traffic in from the internet. */
function inlineIngressProblems(props: Props): string[] {
  return asList<Props>(props.ingress)
    .map((rule, i) => {
      const problem = openIngressProblem([...asList(rule.cidrBlocks), ...asList(rule.ipv6CidrBlocks)], rule.protocol, rule.fromPort, rule.toPort);
      return problem && `ingress[${i}] ${problem}`;
    })
    .filter((p): p is string => p !== undefined);
}

export const ingressOnlyHttpsFromInternet: ResourceValidationPolicy = {
  name: "ingress-only-https-from-internet",
  description:
    "Security groups, of every resource type, open only 443 (and 80 for the redirect) to the internet, any range beyond the private networks counting as the internet; the VPC's default security group allows nothing.",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateResource: validateByType(
    forTypes(TYPES.ingressRule, (props, _args, report) =>
      whenKnown(() => {
        const problem = openIngressProblem([props.cidrIpv4, props.cidrIpv6], props.ipProtocol, props.fromPort, props.toPort);
        if (problem) report(`the rule (cidrIpv4/cidrIpv6) ${problem}`);
      }),
    ),
    forTypes(TYPES.legacyRule, (props, _args, report) =>
      whenKnown(() => {
        if (props.type !== "ingress") return;
        const problem = openIngressProblem([...asList(props.cidrBlocks), ...asList(props.ipv6CidrBlocks)], props.protocol, props.fromPort, props.toPort);
        if (problem) report(`the rule (cidrBlocks) ${problem}`);
      }),
    ),
    forTypes(TYPES.securityGroup, (props, _args, report) => whenKnown(() => inlineIngressProblems(props).forEach((p) => report(p)))),
    forTypes(TYPES.defaultSecurityGroup, (props, _args, report) =>
      whenKnown(() => {
        // Whatever is launched without a security group lands in the default one: it must stay closed (CIS AWS 5.4).
        const problems = inlineIngressProblems(props);
        problems.forEach((p) => report(`the VPC's default security group: ${p}`));
        if (problems.length === 0 && (asList(props.ingress).length > 0 || asList(props.egress).length > 0)) {
          report("the VPC's default security group has rules; set ingress: [] and egress: [] so anything launched without a group of its own can neither be reached nor reach out");
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

interface SecretsConfig {
  /** More `type:path` inputs that hold secrets by design (kept encrypted by their provider). */
  secretInputs?: string[];
  maxScannedCharacters?: number;
}

/** Whether a path is, or sits inside, an input that holds a secret by design. */
const underAny = (paths: string[]) => (path: string) => paths.some((p) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`));

/** The fix for a credential found at this path of a resource of this type. */
function secretFix(type: string, path: string, name: string | undefined): string {
  if (isOneOf(TYPES.taskDefinition, type) && /\.environment\[\d+\]/.test(path)) {
    return `move it to the container's secrets: [{ name: "${name ?? "<NAME>"}", valueFrom: <Secrets Manager secret ARN> }]`;
  }
  if (isDynamic(type)) return "read credentials when the provider runs (stack config or environment), never pass them as inputs";
  return "keep the value in Secrets Manager (or an SSM SecureString parameter) and pass its ARN, or give it through an input the provider keeps secret";
}

export const secretsByReferenceOnly: ResourceValidationPolicy = {
  name: "secrets-by-reference-only",
  description:
    "No input of any resource, at any depth (JSON inside strings included), holds a credential in plain text, found by its shape (secretlint's recommended rules, JSON Web Tokens, HTTP Authorization credentials) or by its variable name; containers get secrets by ARN. Inputs their provider keeps secret (a secret's value) are where credentials belong.",
  enforcementLevel: "mandatory",
  severity: "critical",
  configSchema: {
    properties: {
      secretInputs: {
        type: "array",
        items: { type: "string", pattern: "^[^:\\s]+:[^:\\s]+:[^:\\s]+:[^\\s]+$" },
        default: [],
        description: "More inputs that hold secrets by design, as <type token>:<path>, e.g. mycloud:index/thing:Thing:apiKey.",
      },
      maxScannedCharacters: {
        type: "integer",
        minimum: 1024,
        default: DEFAULT_LIMITS.maxBytes,
        description: "Most characters of one resource's string inputs looked through; a resource with more is reported, not skipped.",
      },
    },
  },
  validateResource: [
    validateByType(
      forTypes(TYPES.taskDefinition, (props, _args, report) =>
        whenKnown(() => {
          containersOf(props).forEach((c, i) => {
            asList<Props>(c.secrets).forEach((s, j) => {
              if (typeof s.valueFrom !== "string" || !/^arn:aws[a-z-]*:(secretsmanager|ssm):/.test(s.valueFrom)) {
                report(`containerDefinitions[${i}].secrets[${j}] (${String(s.name)}) is not a reference; set valueFrom to a Secrets Manager secret or SSM parameter ARN`);
              }
            });
          });
        }),
      ),
    ),
    async (args, report) => {
      // Every resource type: credentials hide wherever a structure can hold a string.
      await whenKnownAsync(async () => {
        const config = args.getConfig<SecretsConfig>();
        const extra = (config.secretInputs ?? []).filter((entry) => entry.startsWith(`${args.type}:`)).map((entry) => entry.slice(args.type.length + 1));
        const result = await scanForSecrets(args.props, {
          exempt: underAny([...secretInputPaths(args.type), ...extra]),
          topLevelKeysAreNames: isDynamic(args.type),
          limits: { ...DEFAULT_LIMITS, maxBytes: config.maxScannedCharacters ?? DEFAULT_LIMITS.maxBytes },
        });
        const label = resourceLabel(args.type, args.name);
        const exposure = "in plain text (anyone who can read the resource sees it, and the state keeps it unencrypted)";
        for (const f of result.findings) {
          const what = f.byName ? `${f.path}: ${f.name} is named like a credential and set ${exposure}` : `${f.path}${f.name ? ` (${f.name})` : ""} holds ${f.what} ${exposure}`;
          report(`${label}: ${what}; ${secretFix(args.type, f.path, f.name)}`);
        }
        if (result.limitReached !== undefined) {
          report(`${label}: its inputs are too large to look through for credentials (${result.limitReached}); split the resource, or raise maxScannedCharacters in this policy's config`);
        }
      });
    },
  ],
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

/** Why an allowed-domain entry lets more sites embed the Messenger than the one it names, or undefined. */
function domainEntryProblem(entry: string, allowSubdomainWildcards: boolean): string | undefined {
  const domain = entry.trim().toLowerCase();
  if (domain === "") return "is empty";
  if (domain === "localhost" || domain.startsWith("localhost:") || /^127\.|^\[?::1\]?$/.test(domain)) return "is the visitor's own machine, where any local page could embed it";
  if (!domain.includes("*")) return undefined;
  const wildcardSubdomain = /^\*\.[^*]+\.[^*]+$/.test(domain);
  if (wildcardSubdomain && allowSubdomainWildcards) return undefined;
  return wildcardSubdomain ? "is a wildcard: every subdomain, including ones others control, could embed it" : "is a wildcard that matches sites of anyone";
}

interface MessengerConfig extends ProductionConfig {
  allowSubdomainWildcards?: boolean;
}

export const messengerNotOpenInProduction: ResourceValidationPolicy = {
  name: "messenger-not-open-in-production",
  description: "In production stacks the Web Messenger loads only on listed domains, each named exactly (no wildcard, no localhost).",
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema: {
    properties: {
      ...PRODUCTION_STACKS_PROPERTY,
      allowSubdomainWildcards: { type: "boolean", default: false, description: "Accept entries such as *.shop.example.com (every subdomain of one registered domain)." },
    },
  },
  validateResource: validateByType(
    forTypes(TYPES.messengerDeployment, (props, args, report) => {
      const config = args.getConfig<MessengerConfig>();
      const stack = productionStack(args.urn, config);
      if (stack === undefined) return;
      whenKnown(() => {
        if (props.allowAllDomains === true) {
          report(`the Messenger of production stack ${stack} loads on every domain; set allowAllDomains: false and list the sites in allowedDomains (genesysMessengerAllowedDomains)`);
          return;
        }
        const domains = asList<unknown>(props.allowedDomains);
        if (domains.length === 0) {
          report(`the Messenger of production stack ${stack} lists no allowed domain; list the sites that embed it in allowedDomains (genesysMessengerAllowedDomains)`);
        }
        domains.forEach((domain, i) => {
          const problem = domainEntryProblem(String(domain), config.allowSubdomainWildcards ?? false);
          if (problem) report(`allowedDomains[${i}] "${String(domain)}" ${problem}; list the exact host names of the production sites (genesysMessengerAllowedDomains)`);
        });
      });
    }),
  ),
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
  ...iamPolicies,
  ...genesysPolicies,
  ...hardeningPolicies,
  ...productionPolicies,
];
