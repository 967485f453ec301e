/**
 * Deliberately broken configurations: each starts from a stack's real (mocked) resource graph, breaks one
 * thing the way a component regression or a hand-written resource would, and must be caught by exactly the
 * policy that guards it, with a message that says how to fix it.
 */
import { generateKeyPairSync } from "node:crypto";
import { policies } from "../../policy/policies";
import { type CapturedResource, type Json } from "../aws/mocks";
import { runStack, type StackRun } from "../stacks/harness";
import { describe as describeFindings, runPolicies } from "./adapter";
import { type BrokenCase, broken, container, expectCaught, set, T } from "./breaking";

/** A key made for the test (a real PEM, so nothing secret-looking is committed). */
const throwawayPrivateKey = () => generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();

let dev: StackRun;
let prod: StackRun;

beforeAll(async () => {
  dev = await runStack("dev");
  prod = await runStack("prod");
}, 120_000);

/** The ARN (state) of the stack's resource of this type named `*suffix`. */
const arnOf = (run: StackRun, type: string, suffix: string) => run.cloud.resources.find((r) => r.type === type && r.name.endsWith(suffix))!.state.arn as string;

/** Moves the turns rule of the prod stack from the HTTPS listener to the plain HTTP one. */
const turnsOverHttp = (change: (r: CapturedResource) => void = () => {}) =>
  broken(prod, T.listenerRule, (r) => {
    set({ listenerArn: arnOf(prod, T.listener, "-http") })(r);
    change(r);
  });

const cases: BrokenCase[] = [
  ["an HTTPS listener on an old TLS policy", () => broken(prod, T.listener, set({ sslPolicy: "ELBSecurityPolicy-2016-08" }), "-https"), "prod", "https-modern-tls", /set sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06"/],
  ["an HTTPS listener without a TLS policy", () => broken(prod, T.listener, (r) => delete r.inputs.sslPolicy, "-https"), "prod", "https-modern-tls", /accepts TLS 1\.0; set sslPolicy/],
  ["an HTTPS listener on a TLS 1.0 policy", () => broken(prod, T.listener, set({ sslPolicy: "ELBSecurityPolicy-TLS13-1-0-2021-06" }), "-https"), "prod", "https-modern-tls", /not a modern TLS policy/],
  [
    "an internet-facing HTTP listener that serves instead of redirecting",
    () => broken(prod, T.listener, set({ defaultActions: [{ type: "forward", targetGroupArn: "arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/x/1" }] }), "-http"),
    "prod",
    "public-http-redirects-to-https",
    /Listener va-aws-endpoint-http: defaultActions serve plain HTTP.*make its only default action \{ type: "redirect", redirect: \{ protocol: "HTTPS"/,
  ],
  ["tasks with public IPs", () => broken(dev, T.service, (r) => (r.inputs.networkConfiguration.assignPublicIp = true)), "dev", "ecs-tasks-private", /set networkConfiguration\.assignPublicIp: false/],
  ["a service without a load balancer", () => broken(dev, T.service, set({ loadBalancers: [] })), "dev", "ecs-tasks-private", /attach its target group \(loadBalancers\)/],
  ["a subnet that hands out public IPs", () => broken(dev, T.subnet, set({ mapPublicIpOnLaunch: true }), "-public-0"), "dev", "ecs-tasks-private", /set mapPublicIpOnLaunch: false/],
  [
    "the service port open to the internet",
    () =>
      broken(
        dev,
        T.ingress,
        (r) => {
          delete r.inputs.referencedSecurityGroupId;
          r.inputs.cidrIpv4 = "0.0.0.0/0";
        },
        "-task-from-lb",
      ),
    "dev",
    "ingress-only-https-from-internet",
    /port 8080 \(tcp\) from 0\.0\.0\.0\/0.*referencedSecurityGroupId/,
  ],
  [
    "an inline rule opening everything",
    () => broken(dev, T.securityGroup, set({ ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] }), "-task-sg"),
    "dev",
    "ingress-only-https-from-internet",
    /ingress\[0\] allows every port \(every protocol\) from 0\.0\.0\.0\/0/,
  ],
  ["a log group kept forever", () => broken(dev, T.logGroup, (r) => delete r.inputs.retentionInDays, "-service-logs"), "dev", "log-retention-set", /set retentionInDays/],
  ["a table without point-in-time recovery", () => broken(dev, T.table, set({ pointInTimeRecovery: { enabled: false } })), "dev", "session-table-recovery-and-encryption", /set pointInTimeRecovery: \{ enabled: true \}/],
  ["a table without KMS encryption", () => broken(dev, T.table, (r) => delete r.inputs.serverSideEncryption), "dev", "session-table-recovery-and-encryption", /set serverSideEncryption: \{ enabled: true \}/],
  ["mutable image tags", () => broken(dev, T.repository, set({ imageTagMutability: "MUTABLE" })), "dev", "ecr-scan-on-push-immutable-tags", /set imageTagMutability: "IMMUTABLE"/],
  ["images pushed without a scan", () => broken(dev, T.repository, set({ imageScanningConfiguration: { scanOnPush: false } })), "dev", "ecr-scan-on-push-immutable-tags", /set imageScanningConfiguration: \{ scanOnPush: true \}/],
  ["a container running as root", () => broken(dev, T.taskDefinition, container((c) => (c.user = "0:0"))), "dev", "containers-non-root-read-only", /runs as 0:0; set user: "1000:1000"/],
  ["a container without a user", () => broken(dev, T.taskDefinition, container((c) => delete c.user)), "dev", "containers-non-root-read-only", /root unless the image says otherwise\); set user/],
  ["a writable root filesystem", () => broken(dev, T.taskDefinition, container((c) => (c.readonlyRootFilesystem = false))), "dev", "containers-non-root-read-only", /set readonlyRootFilesystem: true/],
  [
    "a secret as a plain environment value",
    () => broken(prod, T.taskDefinition, container((c) => (c.environment as Json[]).push({ name: "GENESYS_CLIENT_SECRET", value: "plain-text-secret" }))),
    "prod",
    "secrets-by-reference-only",
    /environment\[\d+\]\.value: GENESYS_CLIENT_SECRET is named like a credential and set in plain text.*move it to the container's secrets: \[\{ name: "GENESYS_CLIENT_SECRET", valueFrom/,
  ],
  [
    "an access key under an innocent name",
    () => broken(dev, T.taskDefinition, container((c) => (c.environment as Json[]).push({ name: "UPSTREAM", value: "AKIA2E0A8F3B244C9986" }))),
    "dev",
    "secrets-by-reference-only",
    /environment\[\d+\]\.value \(UPSTREAM\) holds an AWS credential in plain text/,
  ],
  [
    "a secret given by value instead of by ARN",
    () => broken(dev, T.taskDefinition, container((c) => ((c.secrets as Json[])[0]!.valueFrom = "the-token-itself"))),
    "dev",
    "secrets-by-reference-only",
    /secrets\[0\] \(VERIFY_TOKEN\) is not a reference; set valueFrom to a Secrets Manager secret or SSM parameter ARN/,
  ],
  [
    "a dynamic resource handed a credential",
    () => broken(dev, T.botList, set({ clientSecret: "deployer-secret" })),
    "dev",
    "secrets-by-reference-only",
    /BotList va-genesys-bot-list: clientSecret: clientSecret is named like a credential.*read credentials when the provider runs/,
  ],
  ["a deployment without the circuit breaker", () => broken(dev, T.service, set({ deploymentCircuitBreaker: { enable: true, rollback: false } })), "dev", "ecs-deployment-circuit-breaker", /set deploymentCircuitBreaker: \{ enable: true, rollback: true \}/],
  [
    "a production Messenger open to every domain",
    () => broken(prod, T.deployment, set({ allowAllDomains: true, allowedDomains: [] })),
    "prod",
    "messenger-not-open-in-production",
    /production stack prod loads on every domain; set allowAllDomains: false and list the sites/,
  ],
  ["a production Messenger without domains", () => broken(prod, T.deployment, set({ allowedDomains: [] })), "prod", "messenger-not-open-in-production", /lists no allowed domain/],
  ["a disabled integration", () => broken(dev, T.integration, set({ intendedState: "DISABLED" })), "dev", "bot-connector-enabled-https", /set intendedState: "ENABLED"/],
  [
    "an integration calling plain HTTP",
    () => broken(dev, T.integration, (r) => (r.inputs.config.properties = JSON.stringify({ botConnectorHandleUtteranceUri: "http://bot.example.com/botconnector/messages" }))),
    "dev",
    "bot-connector-enabled-https",
    /http:\/\/bot\.example\.com\/botconnector\/messages is not HTTPS.*use its https URL/,
  ],
  ["an integration without a URI", () => broken(dev, T.integration, (r) => (r.inputs.config.properties = "{}")), "dev", "bot-connector-enabled-https", /holds no URL; set the Handle Utterance URI/],
  ["OAuth tokens living two days", () => broken(prod, T.oauthClient, set({ accessTokenValiditySeconds: 172800 })), "prod", "oauth-token-lifetime", /would live 172800 s; set accessTokenValiditySeconds between 300 and 86400/],
  ["OAuth tokens living a minute", () => broken(prod, T.oauthClient, set({ accessTokenValiditySeconds: 60 })), "prod", "oauth-token-lifetime", /would live 60 s/],

  // Bypasses of the listener check: a rule, not a default action, serving the turn route over plain HTTP.
  [
    "a listener rule forwarding the turn route over plain HTTP",
    () => turnsOverHttp(),
    "prod",
    "public-http-redirects-to-https",
    /ListenerRule va-aws-endpoint-turns: actions serve plain HTTP on the HTTP listener va-aws-endpoint-http of the internet-facing load balancer va-aws-endpoint-alb; attach the rule to the HTTPS listener/,
  ],
  [
    "a listener rule on plain HTTP with a fixed response",
    () => turnsOverHttp(set({ actions: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "200", messageBody: "ok" } }] })),
    "prod",
    "public-http-redirects-to-https",
    /ListenerRule va-aws-endpoint-turns: actions serve plain HTTP/,
  ],
  [
    "a listener without a protocol (an application load balancer's default is HTTP) forwarding",
    () => broken(prod, T.listener, (r) => {
      for (const x of [r.inputs, r.state]) {
        delete x.protocol;
        x.defaultActions = [{ type: "forward", targetGroupArn: arnOf(prod, "aws:lb/targetGroup:TargetGroup", "-tg") }];
      }
    }, "-http"),
    "prod",
    "public-http-redirects-to-https",
    /Listener va-aws-endpoint-http: defaultActions serve plain HTTP/,
  ],

  // Bypasses of the ingress check: other resource types, other spellings of "the internet".
  [
    "the VPC's default security group opened to the world",
    () => broken(dev, T.defaultSecurityGroup, set({ ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] })),
    "dev",
    "ingress-only-https-from-internet",
    /DefaultSecurityGroup va-aws-network-default-sg: the VPC's default security group: ingress\[0\] allows every port \(every protocol\) from 0\.0\.0\.0\/0/,
  ],
  [
    "the VPC's default security group with rules inside the VPC",
    () => broken(dev, T.defaultSecurityGroup, set({ ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/16"] }], egress: [] })),
    "dev",
    "ingress-only-https-from-internet",
    /the VPC's default security group has rules; set ingress: \[\] and egress: \[\]/,
  ],
  [
    "the internet as its two halves",
    () => broken(dev, T.securityGroup, set({ ingress: [{ protocol: "tcp", fromPort: 8080, toPort: 8080, cidrBlocks: ["0.0.0.0/1", "128.0.0.0/1"] }] }), "-task-sg"),
    "dev",
    "ingress-only-https-from-internet",
    /ingress\[0\] allows port 8080 \(tcp\) from 0\.0\.0\.0\/1 and 128\.0\.0\.0\/1, which reaches beyond the private networks/,
  ],
  [
    "the IPv6 internet written out in full",
    () => broken(dev, T.ingress, (r) => {
      delete r.inputs.referencedSecurityGroupId;
      r.inputs.cidrIpv6 = "0000:0000::/0";
    }, "-task-from-lb"),
    "dev",
    "ingress-only-https-from-internet",
    /the rule \(cidrIpv4\/cidrIpv6\) allows port 8080 \(tcp\) from 0000:0000::\/0/,
  ],
  [
    "a public /8 on every protocol through the legacy rule type",
    () => broken(dev, T.ingress, (r) => {
      r.type = "aws:ec2/securityGroupRule:SecurityGroupRule";
      r.inputs = { type: "ingress", securityGroupId: r.inputs.securityGroupId, protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["52.0.0.0/8"] };
    }, "-task-from-lb"),
    "dev",
    "ingress-only-https-from-internet",
    /the rule \(cidrBlocks\) allows every port \(every protocol\) from 52\.0\.0\.0\/8/,
  ],

  // Bypasses of the Messenger check: an entry that is a wildcard, or the visitor's own machine.
  [
    "a wildcard among the production Messenger's domains",
    () => broken(prod, T.deployment, set({ allowedDomains: ["www.acme.example", "*"] })),
    "prod",
    "messenger-not-open-in-production",
    /allowedDomains\[1\] "\*" is a wildcard that matches sites of anyone; list the exact host names/,
  ],
  [
    "a subdomain wildcard in the production Messenger's domains",
    () => broken(prod, T.deployment, set({ allowedDomains: ["*.acme.example"] })),
    "prod",
    "messenger-not-open-in-production",
    /allowedDomains\[0\] "\*\.acme\.example" is a wildcard: every subdomain/,
  ],
  [
    "a top-level-domain wildcard in the production Messenger's domains",
    () => broken(prod, T.deployment, set({ allowedDomains: ["*.example"] })),
    "prod",
    "messenger-not-open-in-production",
    /"\*\.example" is a wildcard that matches sites of anyone/,
  ],
  ["localhost among the production Messenger's domains", () => broken(prod, T.deployment, set({ allowedDomains: ["www.acme.example", "localhost:8080"] })), "prod", "messenger-not-open-in-production", /"localhost:8080" is the visitor's own machine/],

  // Bypasses of the secrets check: nested in a structured input, or a token shape under an innocent name.
  [
    "a bearer token in an innocently named environment variable",
    () => broken(dev, T.taskDefinition, container((c) => (c.environment as Json[]).push({ name: "UPSTREAM_HEADERS", value: "Authorization: Bearer 8f3a9c2e7b1d4f60a5e9c3b2d1f0e7a6" }))),
    "dev",
    "secrets-by-reference-only",
    /environment\[\d+\]\.value \(UPSTREAM_HEADERS\) holds HTTP Bearer credentials in plain text/,
  ],
  [
    "a JWT in an innocently named environment variable",
    () =>
      broken(dev, T.taskDefinition, container((c) => (c.environment as Json[]).push({ name: "UPSTREAM", value: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ2YSJ9.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg" }))),
    "dev",
    "secrets-by-reference-only",
    /environment\[\d+\]\.value \(UPSTREAM\) holds a JSON Web Token in plain text/,
  ],
  [
    "a GitHub token nested in the Messenger's structured configuration",
    () => broken(dev, T.messengerConfiguration, (r) => (r.inputs.messenger.apps.conversations.humanize.bot.avatarUrl = "https://x-access-token:ghp_0123456789abcdefghijklmnopqrstuvwxyz@assets.example/ava.png")),
    "dev",
    "secrets-by-reference-only",
    /WebdeploymentsConfiguration va-genesys-messenger-configuration: messenger\.apps\.conversations\.humanize\.bot\.avatarUrl holds (a GitHub token|a URL with a password) in plain text/,
  ],
  [
    "a private key inside the integration's JSON properties",
    () =>
      broken(dev, T.integration, (r) => {
        const properties = JSON.parse(r.inputs.config.properties as string) as Json;
        properties.clientCertificate = { key: throwawayPrivateKey() };
        r.inputs.config.properties = JSON.stringify(properties);
      }),
    "dev",
    "secrets-by-reference-only",
    /config\.properties\.clientCertificate\.key holds a private key in plain text/,
  ],
  [
    "a Slack token in a tag",
    () => broken(dev, T.table, (r) => (r.inputs.tags = { Owner: "team", Hook: "xoxb-123456789012-1234567890123-abcdefghijABCDEFGHIJ1234" })),
    "dev",
    "secrets-by-reference-only",
    /Table va-aws-sessions-table: tags\.Hook holds a Slack token in plain text/,
  ],
];

it.each(cases)("catches %s", async (_, resources, stack, policy, fix) => {
  await expectCaught(resources(), stack, policy, fix);
});

it("lets a subdomain wildcard through only when the config allows it, and never a top-level one", async () => {
  const config = { "messenger-not-open-in-production": { allowSubdomainWildcards: true } };
  const subdomain = broken(prod, T.deployment, set({ allowedDomains: ["*.acme.example"] }));
  expect(describeFindings((await runPolicies(subdomain, policies, { stack: "prod", config })).violations)).toBe("");
  await expectCaught(broken(prod, T.deployment, set({ allowedDomains: ["*.example"] })), "prod", "messenger-not-open-in-production", /matches sites of anyone/, config);
});

it("keeps plain HTTP listener rules of an internal load balancer (behind API Gateway's VPC link) out of it", async () => {
  // dev's turns rule forwards on the internal load balancer's HTTP listener: the only hop in plain HTTP is inside the VPC.
  const rule = dev.cloud.resources.find((r) => r.type === T.listenerRule)!;
  expect(rule.inputs.actions).toEqual([expect.objectContaining({ type: "forward" })]);
  expect(describeFindings((await runPolicies(dev.cloud.resources, policies, { stack: "dev" })).violations)).toBe("");
});

it("leaves Messenger domains to the team outside production, and takes production stack names from its config", async () => {
  const open = broken(dev, T.deployment, set({ allowAllDomains: true, allowedDomains: [] }));
  expect(describeFindings((await runPolicies(open, policies, { stack: "dev" })).violations)).toBe("");
  const flagged = await runPolicies(open, policies, { stack: "dev", config: { "messenger-not-open-in-production": { productionStacks: ["dev"] } } });
  expect(flagged.violations.map((v) => v.policy)).toEqual(["messenger-not-open-in-production"]);
});

it("accepts a stricter token lifetime from its config", async () => {
  const { violations } = await runPolicies(prod.cloud.resources, policies, { stack: "prod", config: { "oauth-token-lifetime": { maxSeconds: 3600 } } });
  expect(violations.map((v) => `${v.policy}: ${v.message}`)).toEqual([
    expect.stringMatching(/^oauth-token-lifetime: OauthClient va-genesys-service-client-client: access tokens would live 86400 s; set accessTokenValiditySeconds between 300 and 3600/),
  ]);
});
