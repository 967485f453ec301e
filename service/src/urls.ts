/** URLs the service calls out to: https, or plain http only to a loopback host (local runs and tests). */
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** The URL, or what is wrong with it (never echoing anything after the host, which could hold a secret). */
export function outboundUrl(raw: string): { url: URL } | { problem: string } {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { problem: "is not a URL" };
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackHost(url.hostname))) {
    return { problem: `must be an https URL (plain http only to a loopback host), got ${url.protocol}//${url.host}` };
  }
  if (url.username || url.password) return { problem: "must not carry credentials" };
  return { url };
}
