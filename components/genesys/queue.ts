import * as genesyscloud from "@pulumi/genesyscloud";
import * as pulumi from "@pulumi/pulumi";
import { checkInteger, failOnProblems, isKnown, Problems } from "../aws/validation";

export const QUEUE_TYPE = "virtual-agent:genesys:Queue";

export interface QueueArgs {
  /** The queue's name; the flow transfers to the queue by this name. */
  queueName: pulumi.Input<string>;
  /**
   * Use a queue that already exists (looked up by name; nothing is created or changed) instead of creating one.
   * Default false.
   */
  existing?: boolean;
  /** For a created queue. Default: "Hand-over from the virtual agent". */
  description?: pulumi.Input<string>;
  /** Division of a created queue. Default: the home division. */
  divisionId?: pulumi.Input<string>;
  /** Seconds an agent is alerted for a message before it moves on, 7 or more (default 30). */
  alertingTimeoutSec?: number;
  /** Service level target for messages: share answered within `durationMs` (defaults 0.8 and 20000). */
  serviceLevel?: { percentage: number; durationMs: number };
  /** After-contact work prompt of a created queue (Genesys default `MANDATORY_TIMEOUT`). */
  acwWrapupPrompt?: "MANDATORY" | "OPTIONAL" | "MANDATORY_TIMEOUT" | "MANDATORY_FORCED_TIMEOUT" | "AGENT_REQUESTED";
  /** After-contact work timeout in ms (1 s to 60 min) for the timeout prompts. */
  acwTimeoutMs?: number;
}

/** The ACD queue the flow hands conversations to: created here, or an existing one found by name. */
export class Queue extends pulumi.ComponentResource {
  /** Undefined for an existing queue. */
  readonly queue: genesyscloud.RoutingQueue | undefined;
  readonly queueId: pulumi.Output<string>;
  readonly queueName: pulumi.Output<string>;

  constructor(name: string, args: QueueArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = new Problems();
    if (isKnown(args.queueName)) problems.require(args.queueName.trim() !== "", "queueName", "must not be empty");
    if (args.existing) {
      const createOnly = (["description", "divisionId", "alertingTimeoutSec", "serviceLevel", "acwWrapupPrompt", "acwTimeoutMs"] as const).filter(
        (k) => args[k] !== undefined,
      );
      problems.require(createOnly.length === 0, "existing", `an existing queue is used as it is; remove ${createOnly.join(", ")}`);
    }
    checkInteger(problems, "alertingTimeoutSec", args.alertingTimeoutSec, 7, 86400);
    checkInteger(problems, "acwTimeoutMs", args.acwTimeoutMs, 1000, 3_600_000);
    if (args.serviceLevel) {
      const { percentage, durationMs } = args.serviceLevel;
      problems.require(percentage > 0 && percentage <= 1, "serviceLevel.percentage", `must be in (0, 1], got ${percentage}`);
      checkInteger(problems, "serviceLevel.durationMs", durationMs, 1000, 86_400_000);
    }
    failOnProblems(QUEUE_TYPE, name, problems);

    super(QUEUE_TYPE, name, {}, opts);

    if (args.existing) {
      const found = genesyscloud.getRoutingQueueOutput({ name: args.queueName }, { parent: this });
      this.queue = undefined;
      this.queueId = found.id;
      this.queueName = pulumi.output(args.queueName);
    } else {
      this.queue = new genesyscloud.RoutingQueue(
        `${name}-queue`,
        {
          name: args.queueName,
          description: args.description ?? "Hand-over from the virtual agent",
          divisionId: args.divisionId,
          acwWrapupPrompt: args.acwWrapupPrompt,
          acwTimeoutMs: args.acwTimeoutMs,
          mediaSettingsMessage: {
            alertingTimeoutSec: args.alertingTimeoutSec ?? 30,
            serviceLevelPercentage: args.serviceLevel?.percentage ?? 0.8,
            serviceLevelDurationMs: args.serviceLevel?.durationMs ?? 20000,
          },
        },
        { parent: this },
      );
      this.queueId = this.queue.id;
      this.queueName = this.queue.name;
    }
    this.registerOutputs({ queueId: this.queueId, queueName: this.queueName });
  }
}
