/**
 * `npm run doctor -- <stack>`: checks the stack's Bot Connector wiring (integration type id, Handle Utterance
 * URI property key, credential slot and type — none of them published by Genesys) and the deployer's
 * permissions against the live org, and explains each mismatch with the command that fixes it.
 *
 * Credentials: GENESYSCLOUD_OAUTHCLIENT_ID, GENESYSCLOUD_OAUTHCLIENT_SECRET (the deploying client) and
 * GENESYSCLOUD_REGION (default: the stack's genesyscloud:awsRegion). DOCTOR_API_BASE_URL / DOCTOR_LOGIN_BASE_URL
 * point it at another host (a proxy, or the local fake in tests).
 *
 * Exit status: 0 when nothing is wrong, 1 when a check found a problem, 2 when it could not run.
 */
import path from "node:path";
import { GenesysAuthError, GenesysNetworkError, GenesysPlatformClient, type PlatformApi } from "../service/src/genesys";
import { diagnose, formatFindings, gatherOrgFacts, type Finding } from "../components/genesys/tooling/doctor";
import { requiredPermissions } from "../components/genesys/tooling/permissions";
import { readStackConfig, StackFileError, UnknownStackError } from "../components/genesys/tooling/stackFile";
import { formatProblems, parseGenesysSettings, serviceClientRoles, type GenesysSettings } from "../stacks/settings/genesys";

export class DoctorSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DoctorSetupError";
  }
}

export function loadSettings(projectDir: string, stack: string): GenesysSettings {
  const { config, file } = readStackConfig(projectDir, stack);
  const { settings, problems } = parseGenesysSettings(config, { stack });
  if (!settings) throw new DoctorSetupError(`the Genesys settings in ${path.relative(projectDir, file)} are not valid:\n${formatProblems(problems)}`);
  return settings;
}

/** Runs every check of a stack against the org behind `api`. */
export async function runDoctor(api: PlatformApi, settings: GenesysSettings, stack: string): Promise<Finding[]> {
  const facts = await gatherOrgFacts(api, settings.botConnector, settings.protocol);
  return diagnose(
    {
      stack,
      protocol: settings.protocol,
      type: settings.botConnector,
      permissions: requiredPermissions({
        createQueue: !settings.queue.existing,
        serviceClient: serviceClientRoles(settings).length > 0,
        rolesByName: settings.serviceClient?.roles.some((r) => r.name !== undefined) ?? false,
        customRole: settings.handoverContext,
        digital: settings.protocol === "v2",
      }),
    },
    facts,
  );
}

export function clientFromEnvironment(env: NodeJS.ProcessEnv, settings: GenesysSettings): GenesysPlatformClient {
  const clientId = env.GENESYSCLOUD_OAUTHCLIENT_ID?.trim();
  const clientSecret = env.GENESYSCLOUD_OAUTHCLIENT_SECRET?.trim();
  if (!clientId || !clientSecret) {
    throw new DoctorSetupError("set GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET to the deploying OAuth client (Client Credentials grant)");
  }
  const region = env.GENESYSCLOUD_REGION?.trim() || settings.region;
  return new GenesysPlatformClient({
    region: env.DOCTOR_API_BASE_URL ? undefined : region,
    apiBaseUrl: env.DOCTOR_API_BASE_URL,
    loginBaseUrl: env.DOCTOR_LOGIN_BASE_URL ?? env.DOCTOR_API_BASE_URL,
    credentials: { clientId, clientSecret },
    userAgent: "virtual-agent-doctor",
  });
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const stack = argv[0];
  if (!stack || argv.length > 1) {
    process.stderr.write("usage: npm run doctor -- <stack>\n");
    return 2;
  }
  try {
    const settings = loadSettings(path.resolve(__dirname, ".."), stack);
    const region = env.GENESYSCLOUD_REGION?.trim();
    if (region && region.toLowerCase() !== settings.region) {
      out.write(`warning  GENESYSCLOUD_REGION is ${region} but the stack's genesyscloud:awsRegion is ${settings.region}; checking ${region}\n`);
    }
    const findings = await runDoctor(clientFromEnvironment(env, settings), settings, stack);
    out.write(formatFindings(findings) + "\n");
    const problems = findings.filter((f) => f.level === "problem").length;
    out.write(problems === 0 ? `\nstack ${stack}: no problems found\n` : `\nstack ${stack}: ${problems} problem(s)\n`);
    return problems === 0 ? 0 : 1;
  } catch (err) {
    const known = [DoctorSetupError, UnknownStackError, StackFileError, GenesysAuthError, GenesysNetworkError].some((k) => err instanceof k);
    process.stderr.write(`doctor: ${known ? (err as Error).message : String((err as Error).stack ?? err)}\n`);
    return 2;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
