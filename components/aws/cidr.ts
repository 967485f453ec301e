/** IPv4 CIDR arithmetic for subnet planning and source-range checks (IPv6 is not used by this hosting). */
export interface Ipv4Cidr {
  /** The network address as an unsigned 32-bit number. */
  base: number;
  prefix: number;
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`; undefined when malformed or when host bits are set (AWS rejects those). */
export function parseIpv4Cidr(text: string): Ipv4Cidr | undefined {
  const m = CIDR.exec(text.trim());
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const base = octets.reduce((acc, o) => acc * 256 + o, 0);
  if (base % 2 ** (32 - prefix) !== 0) return undefined;
  return { base, prefix };
}

export function formatIpv4Cidr(cidr: Ipv4Cidr): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(cidr.base / 2 ** shift) % 256);
  return `${octets.join(".")}/${cidr.prefix}`;
}

/** The `index`-th of the 2^newBits equal blocks of `cidr`. */
export function subnetOf(cidr: Ipv4Cidr, newBits: number, index: number): Ipv4Cidr {
  const prefix = cidr.prefix + newBits;
  if (prefix > 32) throw new RangeError(`cannot split a /${cidr.prefix} into /${prefix} blocks`);
  if (!Number.isInteger(index) || index < 0 || index >= 2 ** newBits) throw new RangeError(`block ${index} does not exist in ${2 ** newBits} blocks`);
  return { base: cidr.base + index * 2 ** (32 - prefix), prefix };
}

/** AWS allows subnets from /16 to /28. */
export const SMALLEST_SUBNET_PREFIX = 28;

/**
 * Splits a VPC range into one private and one public subnet per availability zone, all the same size:
 * private subnets take the low blocks (they hold the tasks' network interfaces), public ones follow.
 */
export function planSubnets(vpcCidr: string, zones: number): { private: string[]; public: string[] } {
  const vpc = parseIpv4Cidr(vpcCidr);
  if (!vpc) throw new RangeError(`${vpcCidr} is not an IPv4 CIDR block`);
  const newBits = Math.ceil(Math.log2(2 * zones));
  const blocks = Array.from({ length: 2 * zones }, (_, i) => formatIpv4Cidr(subnetOf(vpc, newBits, i)));
  return { private: blocks.slice(0, zones), public: blocks.slice(zones) };
}

/** Why a VPC range cannot hold the planned subnets, or undefined. */
export function vpcCidrProblem(vpcCidr: string, zones: number): string | undefined {
  const vpc = parseIpv4Cidr(vpcCidr);
  if (!vpc) return `"${vpcCidr}" is not an IPv4 CIDR block with its host bits zero (e.g. 10.0.0.0/16)`;
  if (vpc.prefix < 16 || vpc.prefix > SMALLEST_SUBNET_PREFIX) return `a VPC range must be /16 to /28, got /${vpc.prefix}`;
  const subnetPrefix = vpc.prefix + Math.ceil(Math.log2(2 * zones));
  if (subnetPrefix > SMALLEST_SUBNET_PREFIX) return `/${vpc.prefix} is too small for ${2 * zones} subnets (they would be /${subnetPrefix}; AWS's smallest is /28)`;
  return undefined;
}
