/**
 * The service's OAuth client with a least-privilege custom role (the SDK's AuthRole, token
 * `genesyscloud:index/authRole:AuthRole`), under Pulumi mocks: the role holds exactly the permissions the
 * service's calls need, the client is granted it in every division, and bad arguments fail before anything exists.
 */
import * as genesyscloud from "@pulumi/genesyscloud";
import { handoverContextRole, OAuthClient, permissionPolicies, SERVICE_CLIENT_PERMISSIONS } from "../../components/genesys/oauthClient";
import { setupMocks, settled, type Harness } from "../genesys/harness";

const T = { role: "genesyscloud:index/authRole:AuthRole", client: "genesyscloud:index/oauthClient:OauthClient" };

let mocks: Harness;
beforeAll(async () => {
  mocks = await setupMocks();
});
beforeEach(() => mocks.reset());

describe("a least-privilege role for the service's OAuth client", () => {
  test("the SDK registers AuthRole with the bridged provider's token", async () => {
    const role = new genesyscloud.AuthRole("r", { name: "R", permissionPolicies: [{ domain: "conversation", entityName: "communication", actionSets: ["view"] }] });
    await settled(role.urn);
    expect(mocks.one(T.role).inputs).toEqual({
      name: "R",
      permissionPolicies: [{ domain: "conversation", entityName: "communication", actionSets: ["view"] }],
    });
    expect(genesyscloud.AuthRole.isInstance(role)).toBe(true);
  });

  test("handoverContextRole: a custom role with exactly the service's permissions, granted in every division", async () => {
    const c = new OAuthClient("svc", { clientName: "Acme VA service", roles: [handoverContextRole("Acme VA hand-over context")] });
    await settled(c.clientId);
    const role = mocks.one(T.role);
    expect(role.name).toBe("svc-role");
    expect(role.inputs).toMatchObject({
      name: "Acme VA hand-over context",
      permissionPolicies: [{ domain: "conversation", entityName: "communication", actionSets: ["view"] }],
    });
    expect(role.inputs.permissions).toBeUndefined();
    expect(mocks.one(T.client).inputs.roles).toEqual([{ roleId: "svc-role-id", divisionId: "*" }]);
    expect(SERVICE_CLIENT_PERMISSIONS).toEqual(["conversation:communication:view"]);
  });

  test("custom roles next to roles by name and id; several custom roles get their own names", async () => {
    const c = new OAuthClient("svc", {
      clientName: "x",
      roles: [{ name: "Employee" }, { custom: { roleName: "A", permissions: ["routing:queue:view"] } }, { id: "role-1" }, { custom: { roleName: "B", permissions: ["analytics:conversationDetail:view"] } }],
    });
    await settled(c.clientId);
    expect(mocks.byType(T.role).map((r) => r.name)).toEqual(["svc-role", "svc-role-2"]);
    expect(mocks.one(T.client).inputs.roles).toEqual([{ roleId: "role-id-of-Employee" }, { roleId: "svc-role-id" }, { roleId: "role-1" }, { roleId: "svc-role-2-id" }]);
  });

  test("permission strings become one policy per domain and entity", () => {
    expect(permissionPolicies(["conversation:communication:view", "routing:queue:view", "conversation:communication:edit", "conversation:participant:wrapup"])).toEqual([
      { domain: "conversation", entityName: "communication", actionSets: ["edit", "view"] },
      { domain: "conversation", entityName: "participant", actionSets: ["wrapup"] },
      { domain: "routing", entityName: "queue", actionSets: ["view"] },
    ]);
  });

  test("bad roles fail before anything is created", () => {
    expect(() => new OAuthClient("bad", { clientName: "x", roles: [{ name: "A", custom: { roleName: "B", permissions: ["a:b:c"] } }] })).toThrow(/roles\[0\]: give exactly one of name or id, or custom/);
    expect(() => new OAuthClient("bad", { clientName: "x", roles: [{ custom: { roleName: " ", permissions: [] } }] })).toThrow(
      /roles\[0\]\.custom\.roleName: must not be empty[\s\S]*roles\[0\]\.custom\.permissions: at least one permission is required/,
    );
    expect(() => new OAuthClient("bad", { clientName: "x", roles: [{ custom: { roleName: "R", permissions: ["*:*:*", "conversation view"] } }] })).toThrow(
      /"\*:\*:\*" is not domain:entity:action[\s\S]*"conversation view" is not domain:entity:action/,
    );
    expect(mocks.resources).toEqual([]);
  });
});
