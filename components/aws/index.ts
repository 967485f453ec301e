/** AWS hosting of the Bot Connector endpoint service: ComponentResources and the pure helpers they use. */
export * from "./alarms";
export * from "./buildContext";
export * from "./cidr";
export * from "./containerDefinition";
export * from "./hostedService";
export * from "./iamPolicies";
export * from "./image";
export * from "./loadBalancer";
export * from "./network";
export * from "./platform";
export * from "./secrets";
export * from "./service";
export * from "./sessionTable";
export * from "./validation";
