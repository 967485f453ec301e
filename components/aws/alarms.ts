/**
 * The service's CloudWatch alarms as data: what is watched, and the thresholds, derived from the turn
 * budget. The Service component turns each spec into an `aws.cloudwatch.MetricAlarm`.
 */
import type * as pulumi from "@pulumi/pulumi";

export interface AlarmSpec {
  /** Suffix of the child resource name (`${name}-alarm-${key}`). */
  key: "5xx" | "slow" | "unhealthy" | "no-healthy" | "api-5xx";
  description: string;
  comparisonOperator: string;
  threshold: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  treatMissingData: "notBreaching" | "breaching";
  /** A single metric … */
  namespace?: string;
  metricName?: string;
  dimensions?: Record<string, pulumi.Input<string>>;
  statistic?: string;
  extendedStatistic?: string;
  period?: number;
  /** … or metric math. */
  metricQueries?: {
    id: string;
    expression?: string;
    label?: string;
    returnData?: boolean;
    metric?: { namespace: string; metricName: string; dimensions: Record<string, pulumi.Input<string>>; stat: string; period: number };
  }[];
}

export interface AlarmInput {
  turnBudgetMs: number;
  /** A p99 response time above this share of the turn budget is "slow" (default 0.8). */
  slowResponseFraction: number;
  /** 5xx responses per minute (target and load balancer together) that count as failing (default 5). */
  errorsPerMinute: number;
  loadBalancerArnSuffix: pulumi.Input<string>;
  targetGroupArnSuffix: pulumi.Input<string>;
  /** The API Gateway HTTP API in front (the no-domain mode), whose own 5xx are not the ALB's. */
  apiId?: pulumi.Input<string> | undefined;
}

const MINUTE = 60;

/** Alarms on 5xx responses, slow responses (relative to the turn budget) and unhealthy targets. */
export function serviceAlarmSpecs(input: AlarmInput): AlarmSpec[] {
  const target = { LoadBalancer: input.loadBalancerArnSuffix, TargetGroup: input.targetGroupArnSuffix };
  const slowSeconds = Math.round(input.turnBudgetMs * input.slowResponseFraction) / 1000;
  const specs: AlarmSpec[] = [
    {
      key: "5xx",
      description: `The service or its load balancer answered at least ${input.errorsPerMinute} 5xx responses a minute in 3 of the last 5 minutes; Genesys takes the failure path for each.`,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: input.errorsPerMinute,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      treatMissingData: "notBreaching",
      metricQueries: [
        {
          id: "target",
          metric: { namespace: "AWS/ApplicationELB", metricName: "HTTPCode_Target_5XX_Count", dimensions: target, stat: "Sum", period: MINUTE },
        },
        {
          id: "elb",
          metric: {
            namespace: "AWS/ApplicationELB",
            metricName: "HTTPCode_ELB_5XX_Count",
            dimensions: { LoadBalancer: input.loadBalancerArnSuffix },
            stat: "Sum",
            period: MINUTE,
          },
        },
        { id: "errors", expression: "FILL(target, 0) + FILL(elb, 0)", label: "5xx responses", returnData: true },
      ],
    },
    {
      key: "slow",
      description: `p99 response time above ${slowSeconds} s (${Math.round(input.slowResponseFraction * 100)}% of the ${input.turnBudgetMs} ms turn budget) in 3 of the last 5 minutes: turns are close to answering Failed.`,
      namespace: "AWS/ApplicationELB",
      metricName: "TargetResponseTime",
      dimensions: target,
      extendedStatistic: "p99",
      period: MINUTE,
      comparisonOperator: "GreaterThanThreshold",
      threshold: slowSeconds,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      treatMissingData: "notBreaching",
    },
    {
      key: "unhealthy",
      description: "At least one task failed its /healthz check in 3 of the last 5 minutes.",
      namespace: "AWS/ApplicationELB",
      metricName: "UnHealthyHostCount",
      dimensions: target,
      statistic: "Maximum",
      period: MINUTE,
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      treatMissingData: "notBreaching",
    },
    {
      key: "no-healthy",
      description: "No healthy task for 2 minutes: the Bot Connector endpoint is down.",
      namespace: "AWS/ApplicationELB",
      metricName: "HealthyHostCount",
      dimensions: target,
      statistic: "Minimum",
      period: MINUTE,
      comparisonOperator: "LessThanThreshold",
      threshold: 1,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      treatMissingData: "breaching",
    },
  ];
  if (input.apiId !== undefined) {
    specs.push({
      key: "api-5xx",
      description: `API Gateway answered at least ${input.errorsPerMinute} 5xx responses a minute in 3 of the last 5 minutes (VPC link or integration failures the ALB never sees).`,
      namespace: "AWS/ApiGateway",
      metricName: "5xx",
      dimensions: { ApiId: input.apiId },
      statistic: "Sum",
      period: MINUTE,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: input.errorsPerMinute,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      treatMissingData: "notBreaching",
    });
  }
  return specs;
}
