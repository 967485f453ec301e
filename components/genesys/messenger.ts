import * as genesyscloud from "@pulumi/genesyscloud";
import * as pulumi from "@pulumi/pulumi";
import { failOnProblems, isKnown, Problems } from "../aws/validation";
import { domainInputs, messengerBlock, messengerProblems, type MessengerSettings } from "./messenger/settings";
import { renderTestPage } from "./messenger/testPage";

export const MESSENGER_TYPE = "virtual-agent:genesys:Messenger";

export interface MessengerArgs {
  /** Name of the Messenger configuration and deployment in Genesys Cloud. */
  messengerName: pulumi.Input<string>;
  /** Default: "Virtual agent Messenger (managed by Pulumi)". */
  description?: pulumi.Input<string>;
  /** Id of the Inbound Message flow new conversations go to (InboundMessageFlow.flowId). */
  flowId: pulumi.Input<string>;
  /** The bot's name, shown in the Messenger unless `settings.bot.displayName` is set. */
  botName: string;
  /** Languages, launcher, colours, conversation behaviour, bot display, attachments and allowed domains. */
  settings: MessengerSettings;
  /** Bot input parameters (name → description) offered on the test page as custom attributes. */
  testPageParameters?: Record<string, string>;
  /** Heading of the test page. Default: the Messenger name. */
  testPageTitle?: string;
}

/**
 * A Web Messenger configuration and its deployment pointing at the flow. Outputs the deployment id, the
 * snippet for web pages and a ready test page.
 */
export class Messenger extends pulumi.ComponentResource {
  readonly configuration: genesyscloud.WebdeploymentsConfiguration;
  readonly deployment: genesyscloud.WebdeploymentsDeployment;
  readonly deploymentId: pulumi.Output<string>;
  readonly snippet: pulumi.Output<string>;
  /** A standalone HTML page that loads this deployment. */
  readonly testPageHtml: pulumi.Output<string>;

  constructor(name: string, args: MessengerArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = new Problems();
    for (const p of messengerProblems(args.settings)) problems.add(`settings.${p.path}`, p.reason);
    if (isKnown(args.messengerName)) {
      problems.require(args.messengerName.trim().length > 0 && args.messengerName.length <= 100, "messengerName", "must be 1 to 100 characters");
    }
    failOnProblems(MESSENGER_TYPE, name, problems);

    super(MESSENGER_TYPE, name, {}, opts);

    const description = args.description ?? "Virtual agent Messenger (managed by Pulumi)";
    this.configuration = new genesyscloud.WebdeploymentsConfiguration(
      `${name}-configuration`,
      {
        name: args.messengerName,
        description,
        languages: args.settings.languages,
        defaultLanguage: args.settings.defaultLanguage,
        messenger: messengerBlock(args.settings, args.botName),
      },
      { parent: this },
    );
    this.deployment = new genesyscloud.WebdeploymentsDeployment(
      `${name}-deployment`,
      {
        name: args.messengerName,
        description,
        flowId: args.flowId,
        ...domainInputs(args.settings),
        configuration: { id: this.configuration.id, version: this.configuration.version },
      },
      { parent: this },
    );
    this.deploymentId = this.deployment.id;
    this.snippet = this.deployment.snippet;
    this.testPageHtml = pulumi
      .all([this.deployment.snippet, this.deployment.id, pulumi.output(args.messengerName)])
      .apply(([snippet, deploymentId, messengerName]) =>
        renderTestPage({ snippet, deploymentId, title: args.testPageTitle ?? messengerName, parameters: args.testPageParameters }),
      );
    this.registerOutputs({ deploymentId: this.deploymentId, snippet: this.snippet, testPageHtml: this.testPageHtml });
  }
}
