/**
 * The component package's entry point (components/package.json `main`). Pulumi runs this folder as a plugin
 * for programs in any language (`pulumi package add <repository>/components@<tag>`): it loads this module,
 * offers every ComponentResource class exported here, and infers their schema from the TypeScript declarations.
 * So export nothing else that is a component: the TypeScript components under genesys/ and aws/ take richer
 * arguments than the schema can describe, and are used from TypeScript directly.
 */
export { GenesysVirtualAgent, HostedService, VirtualAgent } from "./package/components";
export type {
  Bots,
  Endpoint,
  ExistingNetwork,
  Flow,
  Genesys,
  GenesysVirtualAgentArgs,
  HandoverQueue,
  Hosting,
  HostedServiceArgs,
  Image,
  IntegrationType,
  IntentAction,
  Messenger,
  Network,
  Service,
  ServiceClientRole,
  VirtualAgentArgs,
} from "./package/args";
