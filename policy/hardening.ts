/**
 * AWS hardening a security review expects of the service's stack, mandatory: request hygiene at the load balancer,
 * no shell into production tasks, secrets that survive a mistaken deletion in production, session data that
 * expires, access logs at every internet entry point, and a log destination for every container.
 */
import { type ResourceValidationPolicy } from "@pulumi/policy";
import { containersOf, forTypes, inProduction, PRODUCTION_STACKS_PROPERTY, type Props, TYPES, validateByType, whenKnown } from "./support";

const isApplication = (props: Props) => (props.loadBalancerType ?? "application") === "application";

export const loadBalancerDropsInvalidHeaders: ResourceValidationPolicy = {
  name: "load-balancer-drops-invalid-headers",
  description: "Application load balancers drop invalid header fields and keep HTTP desync mitigation on (defensive or strictest).",
  enforcementLevel: "mandatory",
  severity: "medium",
  validateResource: validateByType(
    forTypes(TYPES.loadBalancer, (props, _args, report) =>
      whenKnown(() => {
        if (!isApplication(props)) return;
        if (props.dropInvalidHeaderFields !== true) {
          report("dropInvalidHeaderFields is off, so malformed headers (a way to smuggle requests past the service's checks) reach the targets; set dropInvalidHeaderFields: true");
        }
        const mode = props.desyncMitigationMode;
        if (mode !== undefined && mode !== "defensive" && mode !== "strictest") {
          report(`desyncMitigationMode is ${String(mode)}, which lets ambiguous requests (HTTP desync) through; set desyncMitigationMode: "defensive" (or "strictest")`);
        }
      }),
    ),
  ),
};

export const ecsExecOffInProduction: ResourceValidationPolicy = {
  name: "ecs-exec-off-in-production",
  description: "Production ECS services do not allow ECS Exec (a shell inside running tasks, next to customer conversations and secrets).",
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema: { properties: { ...PRODUCTION_STACKS_PROPERTY } },
  validateResource: validateByType(
    forTypes(
      TYPES.ecsService,
      inProduction((props, _args, report, stack) =>
        whenKnown(() => {
          if (props.enableExecuteCommand === true) {
            report(`enableExecuteCommand is on in production stack ${stack}: anyone with ecs:ExecuteCommand gets a shell next to live conversations and secrets; set enableExecuteCommand: false (debug in a non-production stack)`);
          }
        }),
      ),
    ),
  ),
};

export const DEFAULT_MINIMUM_RECOVERY_DAYS = 7;

export const secretsRecoverableInProduction: ResourceValidationPolicy = {
  name: "secrets-recoverable-in-production",
  description: "Production secrets keep a recovery window when deleted, so a mistaken `pulumi destroy` or replacement can be undone.",
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema: {
    properties: {
      ...PRODUCTION_STACKS_PROPERTY,
      minimumDays: { type: "integer", minimum: 7, maximum: 30, default: DEFAULT_MINIMUM_RECOVERY_DAYS, description: "Fewest days a deleted production secret stays restorable." },
    },
  },
  validateResource: validateByType(
    forTypes(
      TYPES.secret,
      inProduction((props, args, report, stack) =>
        whenKnown(() => {
          const minimum = args.getConfig<{ minimumDays?: number }>().minimumDays ?? DEFAULT_MINIMUM_RECOVERY_DAYS;
          const days = props.recoveryWindowInDays ?? 30;
          if (Number(days) < minimum) {
            const what = Number(days) === 0 ? "is deleted at once, without recovery" : `stays restorable only ${String(days)} days`;
            report(`recoveryWindowInDays is ${String(days)}: in production stack ${stack} a deleted secret ${what}; set recoveryWindowInDays to ${minimum} or more (awsSecretsRecoveryWindowDays)`);
          }
        }),
      ),
    ),
  ),
};

export const sessionTableItemsExpire: ResourceValidationPolicy = {
  name: "session-table-items-expire",
  description: "DynamoDB tables expire their items (time to live on an attribute), so conversations are not kept forever.",
  enforcementLevel: "mandatory",
  severity: "medium",
  validateResource: validateByType(
    forTypes(TYPES.table, (props, _args, report) =>
      whenKnown(() => {
        const ttl = props.ttl;
        if (ttl?.enabled !== true || typeof ttl?.attributeName !== "string" || ttl.attributeName === "") {
          report("items never expire (ttl is off), so every conversation is kept forever; set ttl: { attributeName: \"expiresAt\", enabled: true } (the attribute the session store writes)");
        }
      }),
    ),
  ),
};

export const internetEntryPointsLogAccess: ResourceValidationPolicy = {
  name: "internet-entry-points-log-access",
  description: "Every internet entry point keeps access logs: internet-facing application load balancers (to S3) and API Gateway stages (to CloudWatch Logs).",
  enforcementLevel: "mandatory",
  severity: "medium",
  validateResource: validateByType(
    forTypes(TYPES.loadBalancer, (props, _args, report) =>
      whenKnown(() => {
        if (props.internal === true || !isApplication(props)) return;
        const logs = props.accessLogs;
        if (logs?.enabled !== true || typeof logs?.bucket !== "string" || logs.bucket === "") {
          report("the internet-facing load balancer keeps no access logs (accessLogs); set accessLogs: { bucket: <S3 bucket the regional ELB account may write>, enabled: true } (awsAccessLogsBucket)");
        }
      }),
    ),
    forTypes([...TYPES.apiStage, ...TYPES.restApiStage], (props, _args, report) =>
      whenKnown(() => {
        const destination = props.accessLogSettings?.destinationArn;
        if (typeof destination !== "string" || destination === "") {
          report("the API stage keeps no access logs; set accessLogSettings: { destinationArn: <log group ARN>, format: <JSON without headers> }");
        }
      }),
    ),
  ),
};

export const DEFAULT_LOG_DRIVERS = ["awslogs", "awsfirelens", "splunk"];

export const containersLogSomewhere: ResourceValidationPolicy = {
  name: "containers-log-configuration",
  description: "Every container of a task definition sends its output to a log destination (awslogs with a log group, FireLens or Splunk).",
  enforcementLevel: "mandatory",
  severity: "medium",
  configSchema: {
    properties: {
      allowedLogDrivers: { type: "array", items: { type: "string" }, default: DEFAULT_LOG_DRIVERS, description: "Log drivers that reach a log store." },
    },
  },
  validateResource: validateByType(
    forTypes(TYPES.taskDefinition, (props, args, report) =>
      whenKnown(() => {
        const drivers = args.getConfig<{ allowedLogDrivers?: string[] }>().allowedLogDrivers ?? DEFAULT_LOG_DRIVERS;
        containersOf(props).forEach((c, i) => {
          const at = `containerDefinitions[${i}] (${String(c.name)})`;
          const config = c.logConfiguration as Props | undefined;
          const driver = config?.logDriver;
          if (typeof driver !== "string") {
            report(`${at} has no logConfiguration, so its output is lost; set logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": <log group>, "awslogs-region": <region>, "awslogs-stream-prefix": <prefix> } }`);
          } else if (!drivers.includes(driver)) {
            report(`${at} logs with ${driver}, which is not one of ${drivers.join(", ")}; use logDriver "awslogs" with a log group that has a retention`);
          } else if (driver === "awslogs" && !(typeof config?.options?.["awslogs-group"] === "string" && config.options["awslogs-group"] !== "")) {
            report(`${at} uses awslogs without a log group; set logConfiguration.options["awslogs-group"] to the service's log group`);
          }
        });
      }),
    ),
  ),
};

export const hardeningPolicies = [
  loadBalancerDropsInvalidHeaders,
  ecsExecOffInProduction,
  secretsRecoverableInProduction,
  sessionTableItemsExpire,
  internetEntryPointsLogAccess,
  containersLogSomewhere,
];
