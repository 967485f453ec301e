/**
 * Genesys Cloud: what the stack's OAuth clients may do. The service's client reads conversations and writes
 * participant data for hand-over context; it needs the client credentials grant and a role the stack defines with
 * exactly those permissions. A built-in role looked up by name (Master Admin, say) is an opaque id to the pack,
 * so a client must use roles the stack defines, unless its config lists the id.
 */
import { type PolicyResource, type StackValidationPolicy } from "@pulumi/policy";
import { asList, isOneOf, type Props, resourceLabel, TYPES, whenKnown } from "./support";

export const DEFAULT_GRANT_TYPES = ["CLIENT-CREDENTIALS"];
/** Domains whose permissions change who may do what in the org: roles and grants, OAuth clients. */
export const DEFAULT_PRIVILEGED_DOMAINS = ["authorization", "oauth"];
/** Built-in roles whose default id gives them away (Master Admin is `admin`). */
const ADMIN_DEFAULT_ROLES = ["admin", "master admin", "masteradmin"];

interface GenesysConfig {
  allowedGrantTypes?: string[];
  privilegedDomains?: string[];
  allowedExternalRoleIds?: string[];
}

const isWildcard = (value: unknown) => String(value).trim() === "*" || String(value).trim().toLowerCase() === "all";

/** Why a role grants administrator-level access, or undefined. */
function adminLevelProblems(role: Props, privileged: string[]): string[] {
  const problems: string[] = [];
  if (typeof role.defaultRoleId === "string" && ADMIN_DEFAULT_ROLES.includes(role.defaultRoleId.toLowerCase())) {
    problems.push(`defaultRoleId "${role.defaultRoleId}" manages the built-in administrator role`);
  }
  asList<Props>(role.permissionPolicies).forEach((p, i) => {
    const actions = asList<unknown>(p.actionSets);
    const where = `permissionPolicies[${i}] (${String(p.domain)}:${String(p.entityName)}:${actions.map(String).join(",")})`;
    if (isWildcard(p.domain) || isWildcard(p.entityName) || actions.some(isWildcard)) {
      problems.push(`${where} is a wildcard, granting everything of ${isWildcard(p.domain) ? "every domain" : `the ${String(p.domain)} domain`}`);
    } else if (privileged.includes(String(p.domain).toLowerCase()) && actions.some((a) => String(a).toLowerCase() !== "view")) {
      problems.push(`${where} changes ${String(p.domain)} (who may do what in the org)`);
    }
  });
  return problems;
}

export const genesysOauthClientsLeastPrivilege: StackValidationPolicy = {
  name: "genesys-oauth-clients-least-privilege",
  description:
    "Genesys OAuth clients use the client credentials grant and only roles the stack defines, none of them administrator-level (no wildcard permission, no role or OAuth client management, not the built-in admin role).",
  enforcementLevel: "mandatory",
  severity: "critical",
  configSchema: {
    properties: {
      allowedGrantTypes: { type: "array", items: { type: "string" }, default: DEFAULT_GRANT_TYPES, description: "OAuth grant types a client may use." },
      privilegedDomains: {
        type: "array",
        items: { type: "string" },
        default: DEFAULT_PRIVILEGED_DOMAINS,
        description: "Permission domains in which a role may only view.",
      },
      allowedExternalRoleIds: { type: "array", items: { type: "string" }, default: [], description: "Ids of roles not defined in the stack that a client may hold (reviewed elsewhere)." },
    },
  },
  validateStack: (args, report) => {
    const config = args.getConfig<GenesysConfig>();
    const grants = config.allowedGrantTypes ?? DEFAULT_GRANT_TYPES;
    const privileged = (config.privilegedDomains ?? DEFAULT_PRIVILEGED_DOMAINS).map((d) => d.toLowerCase());
    const external = new Set(config.allowedExternalRoleIds ?? []);
    const roles = args.resources.filter((r) => isOneOf(TYPES.authRole, r.type));
    const roleById = new Map<string, PolicyResource>();
    for (const role of roles) whenKnown(() => typeof role.props.id === "string" && roleById.set(role.props.id, role));

    for (const role of roles) {
      whenKnown(() => {
        for (const problem of adminLevelProblems(role.props, privileged)) {
          report(`${resourceLabel(role.type, role.name)}: ${problem}; grant only the domain:entity:action permissions the client needs (e.g. conversation:communication:view)`, role.urn);
        }
      });
    }
    for (const client of args.resources.filter((r) => isOneOf(TYPES.oauthClient, r.type))) {
      const label = resourceLabel(client.type, client.name);
      whenKnown(() => {
        const grant = client.props.authorizedGrantType;
        if (!grants.includes(String(grant))) {
          report(`${label}: authorizedGrantType ${String(grant)} acts for users (or hands tokens to browsers); set authorizedGrantType: "${grants[0]}" for a service`, client.urn);
        }
      });
      whenKnown(() => {
        const linked = (client.propertyDependencies?.roles ?? []).filter((d) => roles.includes(d));
        asList<Props>(client.props.roles).forEach((entry, i) => {
          const id = String(entry.roleId);
          if (external.has(id) || roleById.has(id)) return;
          // Without ids in the state (a preview), one linked role per entry is the best the engine tells.
          if (roleById.size === 0 && i < linked.length) return;
          report(
            `${label}: roles[${i}].roleId ${id} is not a role this stack defines (a built-in role looked up by name, such as Master Admin, can grant anything); define a genesyscloud.AuthRole with the permissions the client needs, or list the id in allowedExternalRoleIds`,
            client.urn,
          );
        });
      });
    }
  },
};

export const genesysPolicies = [genesysOauthClientsLeastPrivilege];
