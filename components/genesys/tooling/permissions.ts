/**
 * Permissions the deploying OAuth client needs, per part of the stack. Source: the "Permissions and Scopes"
 * section of each resource's documentation in terraform-provider-genesyscloud v1.84.1, and the Platform API
 * CLI's `integrations botconnector` commands for the bot list.
 */

export interface PermissionNeeds {
  /** The queue is created (true) or only looked up (false). */
  createQueue: boolean;
  /** A service OAuth client is created. */
  serviceClient: boolean;
  /** Some service-client role is given by name (looked up with getAuthRole). */
  rolesByName: boolean;
  /** A custom role is created for the service client (hand-over context). */
  customRole?: boolean;
  /** The Digital Bot Connector (v2): no bot list to push; the service client's role grants integration:botconnector:send. */
  digital?: boolean;
}

const crud = (domain: string, entity: string, actions = ["add", "delete", "edit", "view"]) => actions.map((a) => `${domain}:${entity}:${a}`);

/** Each group of permissions with the part of the stack that needs it. */
export function requiredPermissions(needs: PermissionNeeds): Array<{ part: string; permissions: string[] }> {
  const groups: Array<{ part: string; permissions: string[] }> = [
    { part: needs.digital ? "Digital Bot Connector integration and its credential" : "Bot Connector integration and its credential", permissions: crud("integrations", "integration") },
    // The Digital Bot Connector reads the bots from the service: no bot list to push.
    ...(needs.digital ? [] : [{ part: "bot list", permissions: ["integration:botconnector:edit", "integration:botconnector:view"] }]),
    {
      part: "Inbound Message flow",
      permissions: [
        "architect:dependencyTracking:view",
        ...crud("architect", "flow", ["delete", "search", "unlock", "view"]),
        ...crud("architect", "flowLogLevel"),
        ...crud("architect", "job", ["create", "view"]),
        ...crud("architect", "jobExport", ["create", "view"]),
      ],
    },
    {
      part: needs.createQueue ? "hand-over queue (created)" : "hand-over queue (looked up)",
      permissions: needs.createQueue ? [...crud("routing", "queue", ["add", "delete", "edit", "readonly", "view"]), "routing:queueMember:manage"] : ["routing:queue:view"],
    },
    { part: "Messenger configuration and deployment", permissions: [...crud("webDeployments", "configuration"), ...crud("webDeployments", "deployment")] },
  ];
  if (needs.serviceClient) {
    groups.push({
      part: "service OAuth client",
      permissions: ["authorization:grant:add", "authorization:grant:view", ...crud("oauth", "client"), ...(needs.rolesByName ? ["authorization:role:view"] : [])],
    });
  }
  if (needs.customRole) {
    groups.push({ part: "service OAuth client's custom role (hand-over context)", permissions: crud("authorization", "role") });
  }
  if (needs.digital) {
    // Genesys refuses to grant a role whose permissions the granting client does not hold itself.
    groups.push({ part: "service OAuth client's custom role (replies that come later)", permissions: [...crud("authorization", "role"), "integration:botconnector:send"] });
  }
  return groups;
}

/** Whether a granted permission (`*` allowed in any part) covers a wanted one. */
export function permits(granted: string, wanted: string): boolean {
  const g = granted.split(":");
  const w = wanted.split(":");
  return g.length === 3 && w.every((part, i) => g[i] === "*" || g[i] === part);
}

export function missingPermissions(granted: readonly string[], wanted: readonly string[]): string[] {
  return wanted.filter((w) => !granted.some((g) => permits(g, w)));
}
