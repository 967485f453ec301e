/**
 * The CrossGuard pack of the virtual agent's security baseline:
 *
 *   pulumi preview --policy-pack policy        (and `policyPacks: policy` in pulumi/actions)
 *
 * Only builds the pack; the policies are in policies.ts, where the tests use them.
 */
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("virtual-agent-baseline", { enforcementLevel: "mandatory", policies });
