import * as genesyscloud from "@pulumi/genesyscloud";
import * as pulumi from "@pulumi/pulumi";
import { checkInteger, failOnProblems, isKnown, Problems } from "../aws/validation";

export const OAUTH_CLIENT_TYPE = "virtual-agent:genesys:OAuthClient";

/** A role created for the client with exactly the permissions it needs (least privilege). */
export interface CustomRoleArgs {
  /** The role's name in Genesys Cloud (set explicitly; the bridge would otherwise invent one). */
  roleName: pulumi.Input<string>;
  /** Default: "Least privilege for the virtual agent service's own Platform API calls". */
  description?: pulumi.Input<string>;
  /** Permissions as `domain:entity:action`, for example `conversation:communication:view` (at least one). */
  permissions: string[];
}

/** One role of the client: by name (looked up with getAuthRole), by id, or created for it (`custom`), in a division. */
export interface OAuthClientRoleArgs {
  /** Role name as shown in Admin > Roles; looked up at deploy time. Give exactly one of name, id and custom. */
  name?: string;
  /** Role id. */
  id?: pulumi.Input<string>;
  /** A custom role created with the client (a `genesyscloud.AuthRole` child). */
  custom?: CustomRoleArgs;
  /** Division id the role applies in; `*` for all divisions. Default: the home division. */
  divisionId?: pulumi.Input<string>;
}

/**
 * What the service's own Platform API calls need (hand-over context, docs/handover-context.md):
 * `GET /api/v2/conversations/messages/{id}` and
 * `PATCH /api/v2/conversations/messages/{id}/participants/{participantId}/attributes`. Genesys's SDK documentation
 * lists no permission for either; a client-credentials client still acts only through a role, and conversation
 * access follows divisions, so the role holds the one permission Genesys documents for reading a conversation
 * (`GET /api/v2/conversations/{id}`: `conversation:communication:view`) and nothing else. Whether a real org asks
 * more of the PATCH is UNCONFIRMED: a 403 shows in `botconnector_handover_context_writes_total{outcome="forbidden"}`.
 */
export const SERVICE_CLIENT_PERMISSIONS: readonly string[] = ["conversation:communication:view"];

/** The least-privilege role for hand-over context, granted in every division (conversations live in the queues' divisions). */
export function handoverContextRole(roleName: string, divisionId: string = "*"): OAuthClientRoleArgs {
  return {
    custom: { roleName, description: "Hand-over context: the virtual agent service reads message conversations and writes participant data", permissions: [...SERVICE_CLIENT_PERMISSIONS] },
    divisionId,
  };
}

/**
 * What the Digital Bot Connector's replies that come later need: `POST /api/v2/integrations/botconnectors/outgoing/
 * messages` requires integration:botconnector:send (the customer API spec and the Platform API's documentation), and
 * nothing else.
 */
export const DIGITAL_REPLIES_PERMISSIONS: readonly string[] = ["integration:botconnector:send"];

/** The least-privilege role for the Digital Bot Connector's replies that come later (in the home division). */
export function digitalRepliesRole(roleName: string): OAuthClientRoleArgs {
  return {
    custom: {
      roleName,
      description: "Digital Bot Connector: the virtual agent service sends replies that come later (outgoing messages)",
      permissions: [...DIGITAL_REPLIES_PERMISSIONS],
    },
  };
}

const PERMISSION = /^([A-Za-z][A-Za-z0-9_-]*):([A-Za-z][A-Za-z0-9_-]*|\*):([A-Za-z][A-Za-z0-9_-]*|\*)$/;

/** `domain:entity:action` strings as the AuthRole's permission policies: one per domain and entity, its actions sorted. */
export function permissionPolicies(permissions: readonly string[]): Array<{ domain: string; entityName: string; actionSets: string[] }> {
  const byEntity = new Map<string, Set<string>>();
  for (const permission of permissions) {
    const [domain, entity, action] = permission.split(":") as [string, string, string];
    const key = `${domain}:${entity}`;
    byEntity.set(key, (byEntity.get(key) ?? new Set<string>()).add(action));
  }
  return [...byEntity.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, actions]) => {
      const [domain, entityName] = key.split(":") as [string, string];
      return { domain, entityName, actionSets: [...actions].sort() };
    });
}

export interface OAuthClientArgs {
  /** The client's name in Genesys Cloud (set explicitly; the bridge would otherwise invent one). */
  clientName: pulumi.Input<string>;
  /** Default: "Used by the virtual agent service". */
  description?: pulumi.Input<string>;
  /**
   * Roles granted to the client (at least one; client credentials act only through roles). The deploying
   * OAuth client must hold each of them itself (for a custom role: its permissions), or Genesys refuses the grant.
   * For hand-over context, `handoverContextRole(...)` is the least the service needs.
   */
  roles: OAuthClientRoleArgs[];
  /** Token lifetime in seconds, 300 to 172800 (default 86400, Genesys's default). */
  accessTokenValiditySeconds?: number;
}

/**
 * An OAuth client with the Client Credentials grant for the endpoint service's own Platform API calls (for
 * example writing hand-over context to participant data). Its secret is an output marked secret.
 */
export class OAuthClient extends pulumi.ComponentResource {
  readonly client: genesyscloud.OauthClient;
  /** The custom roles created for the client, in the order of `roles`. */
  readonly customRoles: genesyscloud.AuthRole[];
  readonly clientId: pulumi.Output<string>;
  /** Secret. */
  readonly clientSecret: pulumi.Output<string>;

  constructor(name: string, args: OAuthClientArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = new Problems();
    problems.require(args.roles.length > 0, "roles", "at least one role is required: client-credentials clients act only through their roles");
    args.roles.forEach((role, i) => {
      const byName = role.name !== undefined;
      const byId = role.id !== undefined;
      const custom = role.custom;
      problems.require([byName, byId, custom !== undefined].filter(Boolean).length === 1, `roles[${i}]`, "give exactly one of name or id, or custom");
      if (byName) problems.require(role.name?.trim() !== "", `roles[${i}].name`, "must not be empty");
      if (isKnown(role.id)) problems.require(role.id.trim() !== "", `roles[${i}].id`, "must not be empty");
      if (custom) {
        if (isKnown(custom.roleName)) problems.require(custom.roleName.trim() !== "", `roles[${i}].custom.roleName`, "must not be empty");
        problems.require(custom.permissions.length > 0, `roles[${i}].custom.permissions`, "at least one permission is required");
        for (const permission of custom.permissions) {
          problems.require(PERMISSION.test(permission), `roles[${i}].custom.permissions`, `"${permission}" is not domain:entity:action (a named domain; * only for entity or action)`);
        }
      }
    });
    checkInteger(problems, "accessTokenValiditySeconds", args.accessTokenValiditySeconds, 300, 172800);
    if (isKnown(args.clientName)) problems.require(args.clientName.trim() !== "", "clientName", "must not be empty");
    failOnProblems(OAUTH_CLIENT_TYPE, name, problems);

    super(OAUTH_CLIENT_TYPE, name, {}, opts);

    this.customRoles = [];
    const roleId = (role: OAuthClientRoleArgs): pulumi.Input<string> => {
      if (role.id !== undefined) return role.id;
      if (role.custom) {
        const custom = new genesyscloud.AuthRole(
          this.customRoles.length === 0 ? `${name}-role` : `${name}-role-${this.customRoles.length + 1}`,
          {
            name: role.custom.roleName,
            description: role.custom.description ?? "Least privilege for the virtual agent service's own Platform API calls",
            permissionPolicies: permissionPolicies(role.custom.permissions),
          },
          { parent: this },
        );
        this.customRoles.push(custom);
        return custom.id;
      }
      return genesyscloud.getAuthRoleOutput({ name: role.name as string }, { parent: this }).id;
    };
    const roles = args.roles.map((role) => ({
      roleId: roleId(role),
      ...(role.divisionId !== undefined ? { divisionId: role.divisionId } : {}),
    }));
    this.client = new genesyscloud.OauthClient(
      `${name}-client`,
      {
        name: args.clientName,
        description: args.description ?? "Used by the virtual agent service",
        authorizedGrantType: "CLIENT-CREDENTIALS",
        accessTokenValiditySeconds: args.accessTokenValiditySeconds ?? 86400,
        roles,
        // The provider fills client_secret only when asked to; it is Sensitive, so Pulumi encrypts it in state.
        exposeClientSecret: true,
      },
      { parent: this },
    );
    this.clientId = this.client.clientId;
    this.clientSecret = pulumi.secret(this.client.clientSecret);
    this.registerOutputs({ clientId: this.clientId, clientSecret: this.clientSecret, customRoleIds: this.customRoles.map((r) => r.id) });
  }
}
