import { REGION_ENDPOINTS, Region } from '../model/enums';

/** The variable the official Segment Terraform provider reads to override the API URL. */
export const PUBLIC_API_URL_VARIABLE = 'PUBLIC_API_URL';

/**
 * Segment's Public API hosts, one per region: the only hosts a token is sent to unless the operator
 * sets PUBLIC_API_URL. A private copy taken when this module loads, frozen, so nothing imported later
 * (a definition module runs code) can point the executor elsewhere.
 */
const SEGMENT_API_HOSTS: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(Object.values(Region).map((region) => [region, REGION_ENDPOINTS[region].apiUrl])),
);

export interface ResolveBaseUrlOptions {
  readonly region: Region | `${Region}`;
  /** Where to look for `PUBLIC_API_URL`. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Where a token may go: the operator's `PUBLIC_API_URL` when set (emulators, proxies), otherwise the
 * region's Segment Public API host. Never a URL from a desired-state file or a definition.
 */
export function resolveBaseUrl({ region, env = process.env }: ResolveBaseUrlOptions): string {
  const override = env[PUBLIC_API_URL_VARIABLE]?.trim();
  if (override) return normaliseBaseUrl(override, PUBLIC_API_URL_VARIABLE);
  const host = Object.prototype.hasOwnProperty.call(SEGMENT_API_HOSTS, region) ? SEGMENT_API_HOSTS[region] : undefined;
  if (!host) {
    throw new Error(`Unknown Segment region "${String(region)}": use one of ${Object.values(Region).join(', ')}`);
  }
  return host;
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
