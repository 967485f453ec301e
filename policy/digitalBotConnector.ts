/**
 * CrossGuard policies of a stack that speaks the Genesys Digital Bot Connector (v2), kept apart from the baseline
 * (policies.ts) and added to the pack by index.ts. Like the baseline, they read resource types and inputs only
 * (no import of the project's components), and skip what a preview cannot know yet.
 *
 * - The integration's Bot Connector URI is the base of the bot's routes: Genesys appends `/bots`,
 *   `/bots/{botId}` and `/messages` to it, so a URI that already ends with one of them sends every call to a path
 *   that does not exist (the flow takes its failure path on every message).
 * - The role that lets the service send replies that come later (it holds integration:botconnector:send) holds
 *   no wildcard and no edit permission of the integration domain: a leaked service token could otherwise change
 *   the org's integrations and bots.
 */
import { type ReportViolation, type ResourceValidationPolicy } from "@pulumi/policy";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- resource inputs are untyped JSON
type Props = Record<string, any>;

const INTEGRATION = "genesyscloud:index/integration:Integration";
const AUTH_ROLE = "genesyscloud:index/authRole:AuthRole";
/** The service's base path of the Digital Bot Connector (service/src/protocol/v2/types.ts, restated on purpose). */
const DIGITAL_BASE = "/digitalbotconnector";
const SEND = { domain: "integration", entityName: "botconnector", action: "send" };

const isUnknownError = (e: unknown) => typeof e === "object" && e !== null && "unknownTypeSentinel" in e;

function whenKnown(check: () => void): void {
  try {
    check();
  } catch (e) {
    if (!isUnknownError(e)) throw e;
  }
}

function urlsIn(value: unknown): string[] {
  if (typeof value === "string") return /^https?:\/\//i.test(value) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(urlsIn);
  if (value && typeof value === "object") return Object.values(value).flatMap(urlsIn);
  return [];
}

export const digitalBotConnectorBaseUri: ResourceValidationPolicy = {
  name: "digital-bot-connector-base-uri",
  description: "A Digital Bot Connector integration's Bot Connector URI is the base of the service's routes (Genesys appends /bots and /messages).",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: (args, report: ReportViolation) => {
    if (args.type !== INTEGRATION) return args.notApplicable("not a Genesys integration");
    whenKnown(() => {
      const raw = (args.props as Props).config?.properties;
      if (raw === undefined) return;
      let parsed: unknown;
      try {
        parsed = typeof raw === "string" ? JSON.parse(raw) : raw;
      } catch {
        return; // the baseline's bot-connector-enabled-https reports unreadable properties
      }
      for (const url of urlsIn(parsed)) {
        let path: string;
        try {
          path = new URL(url).pathname.replace(/\/+$/, "");
        } catch {
          continue;
        }
        const at = path.indexOf(DIGITAL_BASE);
        if (at < 0) continue;
        const tail = path.slice(at + DIGITAL_BASE.length);
        if (tail !== "") {
          report(`the Bot Connector URI ${url} goes past the base ${DIGITAL_BASE} (it ends with ${tail}); Genesys appends /bots and /messages itself, so every call would miss. Use the service URL + ${DIGITAL_BASE}`);
        }
      }
    });
  },
};

/** The permissions of a role's policies, as `domain:entity:action`. */
function permissionsOf(props: Props): string[] {
  const policies = (props.permissionPolicies ?? []) as Props[];
  return policies.flatMap((p) => ((p.actionSets ?? p.actionSet ?? []) as string[]).map((action) => `${p.domain}:${p.entityName}:${action}`));
}

export const digitalRepliesLeastPrivilege: ResourceValidationPolicy = {
  name: "digital-replies-least-privilege",
  description: "The role that sends the Digital Bot Connector's replies that come later (integration:botconnector:send) holds no wildcard and no integration edit permission.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: (args, report: ReportViolation) => {
    if (args.type !== AUTH_ROLE) return args.notApplicable("not a Genesys role");
    whenKnown(() => {
      const permissions = permissionsOf(args.props as Props);
      const sends = permissions.some((p) => {
        const [domain, entity, action] = p.split(":");
        return domain === SEND.domain && (entity === SEND.entityName || entity === "*") && (action === SEND.action || action === "*");
      });
      if (!sends) return;
      const broad = permissions.filter((p) => p.includes("*"));
      const edits = permissions.filter((p) => /^integrations?:/.test(p) && !p.endsWith(":send") && !p.endsWith(":view"));
      for (const p of new Set([...broad, ...edits])) {
        report(`the role that sends replies that come later also grants ${p}; the outgoing messages API needs integration:botconnector:send alone (a leaked service token could otherwise change integrations). Give other needs a role of their own`);
      }
    });
  },
};

/** The Digital Bot Connector's policies, in the order the pack reports them. */
export const digitalBotConnectorPolicies: ResourceValidationPolicy[] = [digitalBotConnectorBaseUri, digitalRepliesLeastPrivilege];
