import { resolveBaseUrl, SegmentApiClient } from '../../api';
import { msUntilReset, rateLimitDelayMs, serverErrorDelayMs } from '../../api/retry';

describe('resolveBaseUrl', () => {
  it('picks the region host', () => {
    expect(resolveBaseUrl({ region: 'US', env: {} })).toBe('https://api.segmentapis.com');
    expect(resolveBaseUrl({ region: 'EU', env: {} })).toBe('https://eu1.api.segmentapis.com');
  });

  it('lets PUBLIC_API_URL override, without a trailing slash', () => {
    expect(resolveBaseUrl({ region: 'EU', env: { PUBLIC_API_URL: 'http://127.0.0.1:4010/' } })).toBe('http://127.0.0.1:4010');
    expect(resolveBaseUrl({ region: 'US', env: { PUBLIC_API_URL: '  ' } })).toBe('https://api.segmentapis.com');
  });

  it('rejects a bad override and an unknown region', () => {
    expect(() => resolveBaseUrl({ region: 'US', env: { PUBLIC_API_URL: 'not a url' } })).toThrow('PUBLIC_API_URL is not a valid URL');
    expect(() => resolveBaseUrl({ region: 'APAC' as 'US', env: {} })).toThrow('Unknown Segment region "APAC"');
  });
});

describe('client options', () => {
  const base = { token: 't', baseUrl: 'https://api.segmentapis.com' };

  it('rejects out-of-range settings with the option name', () => {
    expect(() => new SegmentApiClient({ ...base, pageSize: 1001 })).toThrow('pageSize must be an integer between 1 and 1000, got 1001');
    expect(() => new SegmentApiClient({ ...base, pageSize: 1000 })).not.toThrow();
    expect(() => new SegmentApiClient({ ...base, maxRetries: -1 })).toThrow('maxRetries must be an integer at least 0');
    expect(() => new SegmentApiClient({ ...base, writesPerWindow: 0 })).toThrow('writesPerWindow');
    expect(() => new SegmentApiClient({ ...base, baseUrl: 'ftp://x' })).toThrow('baseUrl must be an http(s) URL');
  });
});

describe('retry policy', () => {
  const NOW = 1_700_000_000_000;

  it('reads X-RateLimit-Reset as epoch seconds, epoch ms, or a delta in seconds', () => {
    expect(msUntilReset(String(NOW / 1000 + 12), NOW)).toBe(12_000);
    expect(msUntilReset(String(NOW + 1500), NOW)).toBe(1500);
    expect(msUntilReset('5', NOW)).toBe(5000);
    expect(msUntilReset(String(NOW / 1000 - 10), NOW)).toBe(0);
    expect(msUntilReset('soon', NOW)).toBeUndefined();
    expect(msUntilReset(null, NOW)).toBeUndefined();
  });

  it('prefers msBeforeNext over the reset header and caps absurd waits', () => {
    expect(rateLimitDelayMs({ msBeforeNext: 800, resetHeader: String(NOW / 1000 + 50) }, 1, NOW, () => 0)).toBe(800);
    expect(rateLimitDelayMs({ resetHeader: String(NOW / 1000 + 50) }, 1, NOW, () => 0)).toBe(50_000);
    expect(rateLimitDelayMs({ resetHeader: String(NOW / 1000 + 86_400) }, 1, NOW, () => 0)).toBe(120_000);
  });

  it('uses full jitter for server errors', () => {
    expect(serverErrorDelayMs(1, () => 0)).toBe(0);
    expect(serverErrorDelayMs(3, () => 0.5)).toBe(500);
    expect(serverErrorDelayMs(20, () => 0.5)).toBe(5000);
  });
});
