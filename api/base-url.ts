import { REGION_ENDPOINTS, Region } from '../model/enums';

/** The variable the official Segment Terraform provider reads to override the API URL. */
export const PUBLIC_API_URL_VARIABLE = 'PUBLIC_API_URL';

export interface ResolveBaseUrlOptions {
  readonly region: Region | `${Region}`;
  /** Where to look for `PUBLIC_API_URL`. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** `PUBLIC_API_URL` when set (emulators, proxies), otherwise the region's Public API host. */
export function resolveBaseUrl({ region, env = process.env }: ResolveBaseUrlOptions): string {
  const override = env[PUBLIC_API_URL_VARIABLE]?.trim();
  if (override) return normaliseBaseUrl(override, PUBLIC_API_URL_VARIABLE);
  const endpoints = REGION_ENDPOINTS[region as Region];
  if (!endpoints) {
    throw new Error(`Unknown Segment region "${String(region)}": use one of ${Object.values(Region).join(', ')}`);
  }
  return endpoints.apiUrl;
}

/** Checks a base URL and drops trailing slashes so paths can be appended as-is. */
export function normaliseBaseUrl(url: string, source = 'baseUrl'): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${source} is not a valid URL: "${url}" (expected e.g. https://api.segmentapis.com)`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new Error(`${source} must be an http(s) URL, got "${url}"`);
  }
  if (parsed.username || parsed.password) {
    throw new Error(`${source} must not carry credentials; pass the token separately`);
  }
  return url.replace(/\/+$/, '');
}
