import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as genesyscloud from "@pulumi/genesyscloud";
import * as pulumi from "@pulumi/pulumi";
import { failOnProblems, Problems } from "../aws/validation";
import { type FlowDescription } from "./flow/description";
import { renderInboundFlow, validateFlowDescription } from "./flow/render";

export const INBOUND_MESSAGE_FLOW_TYPE = "virtual-agent:genesys:InboundMessageFlow";

export interface InboundMessageFlowArgs {
  /** What the flow does; rendered to Archy YAML with `renderInboundFlow`. */
  description: FlowDescription;
  /**
   * Values for the flow's `{{placeholders}}` taken from resource outputs, so renames reach the flow and the
   * flow waits for the resources: `bot_integration_name` (BotConnector.integrationName), `bot_name`,
   * `bot_version`, `queue_<key>` (Queue.queueName). Placeholders not given here use the description's names.
   */
  substitutions?: Record<string, pulumi.Input<string>>;
  /**
   * Where the rendered YAML is written, relative to the Pulumi project directory (the provider reads it from
   * there in preview and update). Keep it stable: it is an input of the Flow. Default `out/flows/<name>.yaml`.
   */
  filePath?: string;
  /**
   * What the flow's bot action selects from, published first: the bot list (v1), or the Digital Bot Connector
   * integration through which Architect reads the service's manifest (v2).
   */
  botList: pulumi.Resource;
  /** Force-unlock the flow before publishing (as `archy` does). Default false. */
  forceUnlock?: boolean;
}

/**
 * The Inbound Message flow: Call Bot Connector with one output path per intent and a failure path, published
 * with the genesyscloud Flow resource from YAML rendered at program time.
 */
export class InboundMessageFlow extends pulumi.ComponentResource {
  readonly flow: genesyscloud.Flow;
  readonly flowId: pulumi.Output<string>;
  readonly flowName: pulumi.Output<string>;
  /** The rendered YAML, names still as placeholders (what the file holds). */
  readonly yaml: string;
  readonly filePath: string;

  constructor(name: string, args: InboundMessageFlowArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = new Problems();
    for (const p of validateFlowDescription(args.description)) problems.add("description", p);
    const filePath = args.filePath ?? path.join("out", "flows", `${name}.yaml`);
    problems.require(!path.isAbsolute(filePath), "filePath", "must be relative to the project directory, so it is the same on every machine");
    let rendered: ReturnType<typeof renderInboundFlow> | undefined;
    if (problems.list.length === 0) {
      try {
        rendered = renderInboundFlow(args.description);
        const unknownKeys = Object.keys(args.substitutions ?? {}).filter((k) => !(k in (rendered?.substitutions ?? {})));
        problems.require(unknownKeys.length === 0, "substitutions", `the flow has no placeholder ${unknownKeys.map((k) => `{{${k}}}`).join(", ")}`);
      } catch (err) {
        problems.add("description", (err as Error).message);
      }
    }
    failOnProblems(INBOUND_MESSAGE_FLOW_TYPE, name, problems);
    const flow = rendered as NonNullable<typeof rendered>;

    super(INBOUND_MESSAGE_FLOW_TYPE, name, {}, opts);

    writeIfChanged(filePath, flow.yaml);
    this.yaml = flow.yaml;
    this.filePath = filePath;
    this.flow = new genesyscloud.Flow(
      `${name}-flow`,
      {
        filepath: filePath,
        // Set to the name inside the file: left out, the bridge would auto-name it and differ from Genesys.
        name: args.description.flowName,
        substitutions: { ...flow.substitutions, ...args.substitutions },
        forceUnlock: args.forceUnlock,
      },
      { parent: this, dependsOn: [args.botList] },
    );
    this.flowId = this.flow.id;
    this.flowName = this.flow.name;
    this.registerOutputs({ flowId: this.flowId, flowName: this.flowName, filePath });
  }
}

/** Writes the file only when its content differs, so repeated previews leave it untouched. */
function writeIfChanged(relativePath: string, content: string): void {
  const file = path.resolve(relativePath);
  try {
    if (readFileSync(file, "utf8") === content) return;
  } catch {
    // absent: write it
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
}
