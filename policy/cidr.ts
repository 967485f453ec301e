/**
 * Whether a security group's source range reaches beyond the private networks. Any range that does is "the
 * internet" for the ingress policy: `0.0.0.0/0`, but also its halves (`0.0.0.0/1` + `128.0.0.0/1`), a public /8
 * or `::/0` written as `0::0/0`, which a comparison with the literal `0.0.0.0/0` would let through.
 */
import * as ipaddr from "ipaddr.js";

/** Address space that never routes on the internet: private, carrier-grade NAT, link-local, loopback, unique local. */
const NON_INTERNET = [
  "10.0.0.0/8",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "100.64.0.0/10",
  "169.254.0.0/16",
  "127.0.0.0/8",
  "fc00::/7",
  "fe80::/10",
  "::1/128",
].map((cidr) => ipaddr.parseCIDR(cidr));

/**
 * True when the range holds an internet address. A value that is not a CIDR counts as reaching the internet (the
 * policy fails closed; AWS would refuse it anyway).
 */
export function reachesInternet(cidr: string): boolean {
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  let bits: number;
  try {
    [address, bits] = ipaddr.parseCIDR(String(cidr).trim());
  } catch {
    return true;
  }
  return !NON_INTERNET.some(([block, blockBits]) => block.kind() === address.kind() && bits >= blockBits && address.match(block, blockBits));
}
