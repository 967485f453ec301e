/**
 * Genesys Cloud regions as the Terraform provider names them (`aws_region` / `GENESYSCLOUD_REGION`) and the
 * domain each org lives under. The Platform API is `https://api.<domain>`, the login (OAuth) host
 * `https://login.<domain>`. Source: the provider's region map (terraform-provider-genesyscloud v1.84.1).
 */
export const GENESYS_REGION_DOMAINS = {
  "us-east-1": "mypurecloud.com",
  "us-east-2": "use2.us-gov-pure.cloud",
  "us-west-2": "usw2.pure.cloud",
  "ca-central-1": "cac1.pure.cloud",
  "sa-east-1": "sae1.pure.cloud",
  "eu-west-1": "mypurecloud.ie",
  "eu-west-2": "euw2.pure.cloud",
  "eu-central-1": "mypurecloud.de",
  "eu-central-2": "euc2.pure.cloud",
  "ap-northeast-1": "mypurecloud.jp",
  "ap-northeast-2": "apne2.pure.cloud",
  "ap-northeast-3": "apne3.pure.cloud",
  "ap-south-1": "aps1.pure.cloud",
  "ap-southeast-1": "apse1.pure.cloud",
  "ap-southeast-2": "mypurecloud.com.au",
  "me-central-1": "mec1.pure.cloud",
  "mx-central-1": "mxc1.pure.cloud",
  "eusc-de-east-1": "edee1.eusc-pure.cloud",
  dca: "inindca.com",
  tca: "inintca.com",
} as const;

export type GenesysRegion = keyof typeof GENESYS_REGION_DOMAINS;

export const GENESYS_REGIONS = Object.keys(GENESYS_REGION_DOMAINS) as GenesysRegion[];

export function isGenesysRegion(value: string): value is GenesysRegion {
  return Object.prototype.hasOwnProperty.call(GENESYS_REGION_DOMAINS, value.toLowerCase());
}

export interface PlatformUrls {
  /** `https://api.<domain>`: every `/api/v2/...` call. */
  apiBaseUrl: string;
  /** `https://login.<domain>`: `POST /oauth/token`. */
  loginBaseUrl: string;
}

/** The API and login hosts of a region; the provider compares region names without case, and so does this. */
export function platformUrls(region: string): PlatformUrls {
  const key = region.trim().toLowerCase();
  if (!isGenesysRegion(key)) {
    throw new Error(`unknown Genesys Cloud region "${region}"; expected one of ${GENESYS_REGIONS.join(", ")}`);
  }
  const domain = GENESYS_REGION_DOMAINS[key];
  return { apiBaseUrl: `https://api.${domain}`, loginBaseUrl: `https://login.${domain}` };
}
