/** The Genesys Cloud side of the virtual agent as Pulumi components, and the pure functions behind them. */
export { OAuthClient, OAUTH_CLIENT_TYPE, type OAuthClientArgs, type OAuthClientRoleArgs } from "./oauthClient";
export { BotConnector, BOT_CONNECTOR_TYPE, type BotConnectorArgs } from "./botConnector";
export { HANDLE_UTTERANCE_PATH, handleUtteranceUri, integrationProperties, type BotConnectorTypeSettings } from "./botConnectorConfig";
export { BotList, type BotListArgs } from "./botList/resource";
export { DEFAULT_CREDENTIAL_CONFIG_KEYS, type CredentialConfigKeys } from "./botList/credentials";
export { diffBots, fromKeyed, toKeyed, type KeyedBots } from "./botList/model";
export { Queue, QUEUE_TYPE, type QueueArgs } from "./queue";
export { InboundMessageFlow, INBOUND_MESSAGE_FLOW_TYPE, type InboundMessageFlowArgs } from "./inboundMessageFlow";
export { Messenger, MESSENGER_TYPE, type MessengerArgs } from "./messenger";
export { GenesysVirtualAgent, VIRTUAL_AGENT_TYPE, type GenesysVirtualAgentArgs } from "./virtualAgent";
export { renderInboundFlow, validateFlowDescription, type RenderedFlow } from "./flow/render";
export { describeFlow, type FlowPlan, type IntentActionChoice } from "./flow/fromBot";
export { type FlowDescription, type IntentAction, type IntentPath } from "./flow/description";
export { substitute, placeholdersIn } from "./flow/substitution";
export { flowPlanFor, selectBotVersion, type BotChoice, type FlowChoices } from "./plan";
export { messengerBlock, messengerProblems, type MessengerSettings } from "./messenger/settings";
export { renderTestPage } from "./messenger/testPage";
