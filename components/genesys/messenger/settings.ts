/**
 * Messenger settings → the inputs of the genesyscloud WebdeploymentsConfiguration and WebdeploymentsDeployment
 * resources. Pure, so the mapping and its defaults are tested without Pulumi.
 */
import { type types } from "@pulumi/genesyscloud";

export interface MessengerSettings {
  /** Languages offered, lower-case Genesys tags (e.g. `en-us`, `de-de`). */
  languages: string[];
  /** One of `languages`. */
  defaultLanguage: string;
  /**
   * Domains that may load the Messenger (CORS allow-list), e.g. `www.example.com`. Required unless
   * `allowAllDomains` is set.
   */
  allowedDomains?: string[];
  /** Let every domain load the Messenger. A deliberate choice for tests only; default false. */
  allowAllDomains?: boolean;
  /** Launcher button: visibility `On` (default), `Off` or `OnDemand`; display `Icon` (default), `Text` or `IconAndText`. */
  launcher?: { visibility?: "On" | "Off" | "OnDemand"; displayType?: "Icon" | "Text" | "IconAndText"; iconUrl?: string };
  /** Primary colour, `#rrggbb` (default `#1d5aa6`). */
  primaryColor?: string;
  conversation?: {
    /** Start the conversation (and so the bot's greeting) when the Messenger opens. Default true. */
    autoStart?: boolean;
    /** Render Markdown in messages. Default true. */
    markdown?: boolean;
    /** Typing indicators for agent and customer. Default true. */
    typingIndicators?: boolean;
    /** Let the customer clear the conversation. Default true. */
    clearable?: boolean;
  };
  /** Show the bot with a display name and avatar ("humanize"). Default: shown with the bot's name, no avatar. */
  bot?: { displayName?: string; avatarUrl?: string; humanize?: boolean };
  /** File attachments from the customer. Default off (the bot cannot read them). */
  attachments?: { enabled: boolean; fileTypes?: string[]; maxFileSizeKb?: number };
}

const LANGUAGE = /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/;
const DOMAIN = /^(https?:\/\/)?(\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]*[a-z0-9])?(:\d{1,5})?$/;
const COLOR = /^#[0-9a-fA-F]{6}$/;
const IMAGE_TYPES = ["image/jpeg", "image/gif", "image/png"];

/** Every problem, with the setting it concerns. */
export function messengerProblems(s: MessengerSettings): Array<{ path: string; reason: string }> {
  const problems: Array<{ path: string; reason: string }> = [];
  const add = (path: string, reason: string) => problems.push({ path, reason });
  if (s.languages.length === 0) add("languages", "list at least one language");
  for (const lang of s.languages) if (!LANGUAGE.test(lang)) add("languages", `"${lang}" is not a lower-case language tag such as en-us`);
  if (!s.languages.includes(s.defaultLanguage)) add("defaultLanguage", `"${s.defaultLanguage}" is not one of languages (${s.languages.join(", ")})`);
  for (const reason of domainProblems(s.allowedDomains ?? [], s.allowAllDomains ?? false)) add("allowedDomains", reason);
  if (s.primaryColor !== undefined && !COLOR.test(s.primaryColor)) add("primaryColor", `"${s.primaryColor}" is not a colour such as #1d5aa6`);
  if (s.bot?.avatarUrl !== undefined && !/^https:\/\//.test(s.bot.avatarUrl)) add("bot.avatarUrl", "must be an https URL");
  if (s.launcher?.iconUrl !== undefined && !/^https:\/\//.test(s.launcher.iconUrl)) add("launcher.iconUrl", "must be an https URL");
  if (s.attachments?.enabled) {
    for (const t of s.attachments.fileTypes ?? []) if (!IMAGE_TYPES.includes(t)) add("attachments.fileTypes", `"${t}" is not one of ${IMAGE_TYPES.join(", ")}`);
    const size = s.attachments.maxFileSizeKb;
    if (size !== undefined && !(Number.isInteger(size) && size > 0 && size <= 10240)) add("attachments.maxFileSizeKb", "must be an integer from 1 to 10240");
  }
  return problems;
}

/** What is wrong with an allowed-domains choice (empty when nothing). */
export function domainProblems(allowedDomains: readonly string[], allowAllDomains: boolean): string[] {
  if (allowAllDomains) return allowedDomains.length > 0 ? ["must be empty when allowAllDomains is set (Genesys rejects both)"] : [];
  if (allowedDomains.length === 0) return ["list the domains that may load the Messenger, or set allowAllDomains deliberately"];
  return allowedDomains.filter((d) => !DOMAIN.test(d.toLowerCase())).map((d) => `"${d}" is not a domain such as www.example.com`);
}

/** The `messenger` block of the configuration. */
export function messengerBlock(s: MessengerSettings, botName: string): types.input.WebdeploymentsConfigurationMessenger {
  const attachments = s.attachments?.enabled ?? false;
  const humanize = s.bot?.humanize ?? true;
  return {
    enabled: true,
    styles: { primaryColor: s.primaryColor ?? "#1d5aa6" },
    launcherButton: {
      visibility: s.launcher?.visibility ?? "On",
      displayType: s.launcher?.displayType ?? "Icon",
      ...(s.launcher?.iconUrl ? { icon: { url: s.launcher.iconUrl } } : {}),
    },
    fileUpload: attachments
      ? {
          enableAttachments: true,
          modes: [{ fileTypes: s.attachments?.fileTypes ?? IMAGE_TYPES, maxFileSizeKb: s.attachments?.maxFileSizeKb ?? 10240 }],
        }
      : { enableAttachments: false },
    apps: {
      conversations: {
        enabled: true,
        autoStartEnabled: s.conversation?.autoStart ?? true,
        markdownEnabled: s.conversation?.markdown ?? true,
        showAgentTypingIndicator: s.conversation?.typingIndicators ?? true,
        showUserTypingIndicator: s.conversation?.typingIndicators ?? true,
        conversationClearEnabled: s.conversation?.clearable ?? true,
        humanize: {
          enabled: humanize,
          ...(humanize ? { bot: { name: s.bot?.displayName ?? botName, ...(s.bot?.avatarUrl ? { avatarUrl: s.bot.avatarUrl } : {}) } } : {}),
        },
      },
    },
  };
}

/** allowedDomains / allowAllDomains for the deployment, normalised to lower case. */
export function domainInputs(s: MessengerSettings): { allowAllDomains: boolean; allowedDomains: string[] } {
  return s.allowAllDomains ? { allowAllDomains: true, allowedDomains: [] } : { allowAllDomains: false, allowedDomains: (s.allowedDomains ?? []).map((d) => d.toLowerCase()) };
}
