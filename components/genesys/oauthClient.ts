import * as genesyscloud from "@pulumi/genesyscloud";
import * as pulumi from "@pulumi/pulumi";
import { checkInteger, failOnProblems, isKnown, Problems } from "../aws/validation";

export const OAUTH_CLIENT_TYPE = "virtual-agent:genesys:OAuthClient";

/** One role of the client: by name (looked up with getAuthRole) or by id, in a division. */
export interface OAuthClientRoleArgs {
  /** Role name as shown in Admin > Roles; looked up at deploy time. Give this or `id`. */
  name?: string;
  /** Role id. Give this or `name`. */
  id?: pulumi.Input<string>;
  /** Division id the role applies in; `*` for all divisions. Default: the home division. */
  divisionId?: pulumi.Input<string>;
}

export interface OAuthClientArgs {
  /** The client's name in Genesys Cloud (set explicitly; the bridge would otherwise invent one). */
  clientName: pulumi.Input<string>;
  /** Default: "Used by the virtual agent service". */
  description?: pulumi.Input<string>;
  /**
   * Roles granted to the client (at least one; client credentials act only through roles). The deploying
   * OAuth client must hold each of them itself, or Genesys refuses the grant.
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
  readonly clientId: pulumi.Output<string>;
  /** Secret. */
  readonly clientSecret: pulumi.Output<string>;

  constructor(name: string, args: OAuthClientArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = new Problems();
    problems.require(args.roles.length > 0, "roles", "at least one role is required: client-credentials clients act only through their roles");
    args.roles.forEach((role, i) => {
      const byName = role.name !== undefined;
      const byId = role.id !== undefined;
      problems.require(byName !== byId, `roles[${i}]`, "give exactly one of name or id");
      if (byName) problems.require(role.name?.trim() !== "", `roles[${i}].name`, "must not be empty");
      if (isKnown(role.id)) problems.require(role.id.trim() !== "", `roles[${i}].id`, "must not be empty");
    });
    checkInteger(problems, "accessTokenValiditySeconds", args.accessTokenValiditySeconds, 300, 172800);
    if (isKnown(args.clientName)) problems.require(args.clientName.trim() !== "", "clientName", "must not be empty");
    failOnProblems(OAUTH_CLIENT_TYPE, name, problems);

    super(OAUTH_CLIENT_TYPE, name, {}, opts);

    const roles = args.roles.map((role) => ({
      roleId: role.id ?? genesyscloud.getAuthRoleOutput({ name: role.name as string }, { parent: this }).id,
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
    this.registerOutputs({ clientId: this.clientId, clientSecret: this.clientSecret });
  }
}
