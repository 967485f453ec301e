/**
 * The CrossGuard pack of the virtual agent's security baseline:
 *
 *   pulumi preview --policy-pack policy        (and `policyPacks: policy` in pulumi/actions)
 *
 * Only builds the pack; the policies are in policies.ts (the baseline) and digitalBotConnector.ts (stacks on the
 * Digital Bot Connector), where the tests use them.
 */
import { PolicyPack } from "@pulumi/policy";
import { digitalBotConnectorPolicies } from "./digitalBotConnector";
import { policies } from "./policies";

new PolicyPack("virtual-agent-baseline", { enforcementLevel: "mandatory", policies: [...policies, ...digitalBotConnectorPolicies] });
