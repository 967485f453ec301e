/**
 * What a production stack is expected to have, advisory: a platform team would argue over making any of these
 * block a deployment (a single task during a migration, logs shipped elsewhere), but a preview should say so.
 * Each can be made mandatory (or turned off) per stack: `{ "<policy>": "mandatory" }` in the pack's config.
 */
import { type PolicyResource, type ResourceValidationPolicy, type StackValidationPolicy } from "@pulumi/policy";
import {
  asList,
  forTypes,
  inProduction,
  isOneOf,
  PRODUCTION_STACKS_PROPERTY,
  type ProductionConfig,
  productionStack,
  type Props,
  resourceLabel,
  TYPES,
  validateByType,
  whenKnown,
} from "./support";

export const DEFAULT_MINIMUM_TASKS = 2;

export const productionAtLeastTwoTasks: ResourceValidationPolicy = {
  name: "production-at-least-two-tasks",
  description: "Production services run at least two tasks, and autoscaling never goes below two, so one task or one zone can fail without an outage.",
  enforcementLevel: "advisory",
  severity: "medium",
  configSchema: {
    properties: {
      ...PRODUCTION_STACKS_PROPERTY,
      minimumTasks: { type: "integer", minimum: 1, default: DEFAULT_MINIMUM_TASKS, description: "Fewest tasks of a production service." },
    },
  },
  validateResource: validateByType(
    forTypes(
      TYPES.ecsService,
      inProduction((props, args, report, stack) =>
        whenKnown(() => {
          if (props.schedulingStrategy === "DAEMON") return;
          const minimum = args.getConfig<{ minimumTasks?: number }>().minimumTasks ?? DEFAULT_MINIMUM_TASKS;
          const desired = props.desiredCount ?? 1;
          if (Number(desired) < minimum) report(`desiredCount is ${String(desired)} in production stack ${stack}; set desiredCount to ${minimum} or more (awsDesiredCount)`);
        }),
      ),
    ),
    forTypes(
      TYPES.scalingTarget,
      inProduction((props, args, report, stack) =>
        whenKnown(() => {
          if (props.serviceNamespace !== "ecs") return;
          const minimum = args.getConfig<{ minimumTasks?: number }>().minimumTasks ?? DEFAULT_MINIMUM_TASKS;
          if (Number(props.minCapacity) < minimum) {
            report(`minCapacity is ${String(props.minCapacity)} in production stack ${stack}, so autoscaling may leave one task; set minCapacity to ${minimum} or more (awsDesiredCount)`);
          }
        }),
      ),
    ),
  ),
};

export const productionTableDeletionProtection: ResourceValidationPolicy = {
  name: "production-table-deletion-protection",
  description: "Production DynamoDB tables have deletion protection, so a replacement or a `pulumi destroy` cannot drop live conversations.",
  enforcementLevel: "advisory",
  severity: "medium",
  configSchema: { properties: { ...PRODUCTION_STACKS_PROPERTY } },
  validateResource: validateByType(
    forTypes(
      TYPES.table,
      inProduction((props, _args, report, stack) =>
        whenKnown(() => {
          if (props.deletionProtectionEnabled !== true) {
            report(`deletionProtectionEnabled is off in production stack ${stack}; set deletionProtectionEnabled: true (awsTableDeletionProtection)`);
          }
        }),
      ),
    ),
  ),
};

export const DEFAULT_MINIMUM_RETENTION_DAYS = 90;

export const productionLogRetention: ResourceValidationPolicy = {
  name: "production-log-retention",
  description: `Production log groups keep their logs long enough for an incident review (${DEFAULT_MINIMUM_RETENTION_DAYS} days unless configured).`,
  enforcementLevel: "advisory",
  severity: "low",
  configSchema: {
    properties: {
      ...PRODUCTION_STACKS_PROPERTY,
      minimumDays: { type: "integer", minimum: 1, default: DEFAULT_MINIMUM_RETENTION_DAYS, description: "Fewest days a production log group keeps its logs." },
    },
  },
  validateResource: validateByType(
    forTypes(
      TYPES.logGroup,
      inProduction((props, args, report, stack) =>
        whenKnown(() => {
          const minimum = args.getConfig<{ minimumDays?: number }>().minimumDays ?? DEFAULT_MINIMUM_RETENTION_DAYS;
          const days = Number(props.retentionInDays ?? 0);
          // 0 (or none) keeps logs forever, which log-retention-set refuses; here only a short retention counts.
          if (days > 0 && days < minimum) {
            report(`retentionInDays is ${days} in production stack ${stack}, too short to review an incident found weeks later; set retentionInDays to ${minimum} or more (awsLogRetentionDays)`);
          }
        }),
      ),
    ),
  ),
};

export const productionAlarmsNotify: ResourceValidationPolicy = {
  name: "production-alarms-notify",
  description: "Production alarms notify someone: actions enabled, with at least one alarm action (an SNS topic the on-call rotation receives).",
  enforcementLevel: "advisory",
  severity: "medium",
  configSchema: { properties: { ...PRODUCTION_STACKS_PROPERTY } },
  validateResource: validateByType(
    forTypes(
      [...TYPES.metricAlarm, ...TYPES.compositeAlarm],
      inProduction((props, _args, report, stack) =>
        whenKnown(() => {
          if (props.actionsEnabled === false) {
            report(`actionsEnabled is false in production stack ${stack}, so the alarm notifies nobody; set actionsEnabled: true`);
          } else if (asList(props.alarmActions).length === 0) {
            report(`the alarm has no alarmActions in production stack ${stack}, so it notifies nobody; set alarmActions (and okActions) to the on-call SNS topic (awsAlarmTopicArn)`);
          }
        }),
      ),
    ),
  ),
};

/** Whether a resource is encrypted with a KMS key it names, and how to give it one. */
const KEY_USE: Array<{ types: readonly string[]; usesKey: (props: Props) => boolean; fix: string }> = [
  { types: TYPES.secret, usesKey: (p) => typeof p.kmsKeyId === "string" && p.kmsKeyId !== "", fix: "set kmsKeyId" },
  { types: TYPES.table, usesKey: (p) => typeof p.serverSideEncryption?.kmsKeyArn === "string" && p.serverSideEncryption.kmsKeyArn !== "", fix: "set serverSideEncryption.kmsKeyArn" },
  {
    types: TYPES.repository,
    usesKey: (p) => asList<Props>(p.encryptionConfigurations).some((e) => e.encryptionType === "KMS" && typeof e.kmsKey === "string" && e.kmsKey !== ""),
    fix: 'set encryptionConfigurations: [{ encryptionType: "KMS", kmsKey }]',
  },
  { types: TYPES.logGroup, usesKey: (p) => typeof p.kmsKeyId === "string" && p.kmsKeyId !== "", fix: "set kmsKeyId (its key policy must allow CloudWatch Logs)" },
];

const COVERED_BY_DEFAULT = ["secret", "table", "repository"];
const KIND_OF: Record<string, string> = { secret: TYPES.secret[0], table: TYPES.table[0], repository: TYPES.repository[0], logGroup: TYPES.logGroup[0] };

interface KeyConfig extends ProductionConfig {
  resources?: string[];
  requireInProduction?: boolean;
}

export const customerManagedKeysWhereAsked: StackValidationPolicy = {
  name: "customer-managed-keys-where-asked",
  description:
    "Once a stack encrypts with a customer managed KMS key (its settings ask for one: awsKmsKeyArn), every secret, session table and image repository uses one too, so none falls back to an AWS managed key; optionally required in production.",
  enforcementLevel: "advisory",
  severity: "medium",
  configSchema: {
    properties: {
      ...PRODUCTION_STACKS_PROPERTY,
      resources: {
        type: "array",
        items: { type: "string", enum: Object.keys(KIND_OF) },
        default: COVERED_BY_DEFAULT,
        description: "Resource kinds that follow the stack's key: secret, table, repository, logGroup.",
      },
      requireInProduction: { type: "boolean", default: false, description: "Production stacks need customer managed keys even when none is used yet." },
    },
  },
  validateStack: (args, report) => {
    const config = args.getConfig<KeyConfig>();
    const covered = new Set((config.resources ?? COVERED_BY_DEFAULT).map((kind) => KIND_OF[kind]).filter((t): t is string => t !== undefined));
    const uses = KEY_USE.filter((u) => u.types.some((t) => covered.has(t)));
    const resources: Array<{ r: PolicyResource; encrypted: boolean; fix: string }> = [];
    for (const r of args.resources) {
      const use = uses.find((u) => isOneOf(u.types, r.type));
      if (use) whenKnown(() => resources.push({ r, encrypted: use.usesKey(r.props), fix: use.fix }));
    }
    const keys = args.resources.filter((r) => isOneOf(TYPES.kmsKey, r.type));
    const asked = keys.length > 0 || resources.some((x) => x.encrypted);
    const stack = args.resources.map((r) => productionStack(r.urn, config)).find((s) => s !== undefined);
    if (!asked && !(config.requireInProduction && stack !== undefined)) return;
    const why = asked ? "the stack encrypts with a customer managed key elsewhere" : `production stack ${stack} requires customer managed keys`;
    for (const { r, encrypted, fix } of resources) {
      if (!encrypted) report(`${resourceLabel(r.type, r.name)}: encrypted with an AWS managed key although ${why}; ${fix} to the stack's key (awsKmsKeyArn)`, r.urn);
    }
  },
};

export const DEFAULT_MAX_ROTATION_DAYS = 365;

export const kmsKeysRotate: ResourceValidationPolicy = {
  name: "kms-keys-rotate",
  description: `Symmetric KMS keys the stack creates rotate their key material automatically (every ${DEFAULT_MAX_ROTATION_DAYS} days at most unless configured).`,
  enforcementLevel: "advisory",
  severity: "low",
  configSchema: {
    properties: {
      maxRotationDays: { type: "integer", minimum: 90, maximum: 2560, default: DEFAULT_MAX_ROTATION_DAYS, description: "Longest rotation period allowed." },
    },
  },
  validateResource: validateByType(
    forTypes(TYPES.kmsKey, (props, args, report) =>
      whenKnown(() => {
        const spec = props.customerMasterKeySpec ?? props.keySpec ?? "SYMMETRIC_DEFAULT";
        if (spec !== "SYMMETRIC_DEFAULT" || (props.keyUsage ?? "ENCRYPT_DECRYPT") !== "ENCRYPT_DECRYPT") return; // only symmetric keys rotate
        const max = args.getConfig<{ maxRotationDays?: number }>().maxRotationDays ?? DEFAULT_MAX_ROTATION_DAYS;
        if (props.enableKeyRotation !== true) {
          report(`enableKeyRotation is off, so the key material never changes; set enableKeyRotation: true (rotationPeriodInDays: ${max} or fewer)`);
        } else if (props.rotationPeriodInDays !== undefined && Number(props.rotationPeriodInDays) > max) {
          report(`rotationPeriodInDays is ${String(props.rotationPeriodInDays)}; set it to ${max} or fewer`);
        }
      }),
    ),
  ),
};

export const productionPolicies = [
  productionAtLeastTwoTasks,
  productionTableDeletionProtection,
  productionLogRetention,
  productionAlarmsNotify,
  customerManagedKeysWhereAsked,
  kmsKeysRotate,
];
