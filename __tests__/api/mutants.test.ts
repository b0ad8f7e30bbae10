// Client rules pinned where a mutation run (npm run mutate) found them unchecked: the exact text a
// redaction leaves, header and body hints of rate limits at their boundaries, the per-endpoint hold
// after a 429, and what a network failure is reported as.
import { SegmentApiError, SegmentApiResponseError } from '../../api/errors';
import { bodySnippet, httpFailureMessage } from '../../api/error-messages';
import { normaliseBaseUrl, resolveBaseUrl } from '../../api/base-url';
import { chunkForQuery, MAX_QUERY_CHARS } from '../../api/chunks';
import { encodeQuery, nestedKey } from '../../api/query';
import { resolveClientOptions } from '../../api/options';
import { REDACTED, redactDeep, secretRedactor } from '../../api/redact';
import { findMsBeforeNext, msUntilReset, rateLimitDelayMs } from '../../api/retry';
import type { ApiEvent } from '../../api';
import { closeAllServers, fail, makeClient, ok, rejectionOf, startServer, TOKEN } from './support/test-server';

afterEach(closeAllServers);

const SECRET = 'sgp_0123456789abcdefXYZ';
const WORKSPACE = ok({ workspace: { id: 'ws1', slug: 'acme', name: 'Acme' } });

describe('secretRedactor leaves exactly one marker per redacted run, and everything else as it was', () => {
  const redact = secretRedactor(SECRET);

  test('the token at the start, in the middle and at the very end', () => {
    expect(redact(`${SECRET} tail`)).toBe(`${REDACTED} tail`);
    expect(redact(`head ${SECRET} tail`)).toBe(`head ${REDACTED} tail`);
    expect(redact(`head ${SECRET}`)).toBe(`head ${REDACTED}`);
    expect(redact(SECRET)).toBe(REDACTED);
  });

  test('two separate pieces give two markers; overlapping pieces one; a 7-character piece stays', () => {
    expect(redact(`a ${SECRET.slice(0, 8)} b ${SECRET.slice(-8)} c`)).toBe(`a ${REDACTED} b ${REDACTED} c`);
    expect(redact(`x${SECRET}${SECRET}y`)).toBe(`x${REDACTED}y`);
    expect(redact(`x ${SECRET.slice(0, 7)} y`)).toBe(`x ${SECRET.slice(0, 7)} y`);
    expect(redact('nothing secret here')).toBe('nothing secret here');
  });

  test('a secret made of markers is replaced by a character it does not contain', () => {
    const tricky = `${REDACTED}${REDACTED}\u2588`;
    const out = secretRedactor(tricky)(`<${tricky}>`);
    expect(out).toBe('<\u2589>');
  });

  test('redactDeep keeps null, numbers and booleans, and redacts keys and nested strings', () => {
    expect(redactDeep({ a: null, b: 5, c: true, [SECRET]: [SECRET, { d: `x${SECRET}` }] }, redact)).toEqual({
      a: null,
      b: 5,
      c: true,
      [REDACTED]: [REDACTED, { d: `x${REDACTED}` }],
    });
    expect(redactDeep(7, redact)).toBe(7);
    expect(redactDeep(null, redact)).toBeNull();
  });
});

describe('rate-limit hints', () => {
  test('backoff without a hint keeps half the ceiling and adds up to the other half', () => {
    expect(rateLimitDelayMs({}, 1, 0, () => 0)).toBe(500);
    expect(rateLimitDelayMs({}, 1, 0, () => 1)).toBe(1000);
    expect(rateLimitDelayMs({}, 2, 0, () => 0.5)).toBe(1500);
  });

  test('X-RateLimit-Reset: trimmed, decimals, and the epoch thresholds exactly', () => {
    const now = 5_000;
    expect(msUntilReset(' 30 ', now)).toBe(30_000);
    expect(msUntilReset('1.25', now)).toBe(1_250);
    expect(msUntilReset('1.x', now)).toBeUndefined();
    expect(msUntilReset('', now)).toBeUndefined();
    expect(msUntilReset('   ', now)).toBeUndefined();
    expect(msUntilReset(null, now)).toBeUndefined();
    // 1e11 is read as epoch milliseconds, 1e9 as epoch seconds; just below 1e9 is a delta in seconds.
    // (A clock not at 0 tells an epoch, counted from 1970, from a delta, counted from now.)
    expect(msUntilReset('100000000000', 5_000)).toBe(1e11 - 5_000);
    expect(msUntilReset('1000000000', 5_000)).toBe(1e12 - 5_000);
    expect(msUntilReset('999999999', 5_000)).toBe(999_999_999_000);
    expect(msUntilReset('99999999999', 5_000)).toBe(99_999_999_999_000 - 5_000);
  });

  test('msBeforeNext: a non-negative number beside or inside errors; anything else is no hint', () => {
    expect(findMsBeforeNext({ data: { msBeforeNext: 0 } })).toBe(0);
    expect(findMsBeforeNext({ errors: [null, { data: { msBeforeNext: 40 } }] })).toBe(40);
    expect(findMsBeforeNext({ data: null, errors: [{ data: null }] })).toBeUndefined();
    expect(findMsBeforeNext({ data: { msBeforeNext: -1 } })).toBeUndefined();
    expect(findMsBeforeNext({ data: { msBeforeNext: '5' } })).toBeUndefined();
    expect(findMsBeforeNext(null)).toBeUndefined();
    expect(findMsBeforeNext([{ data: { msBeforeNext: 5 } }])).toBeUndefined();
  });
});

describe('the transport', () => {
  test('a 429 holds its endpoint until the announced time (a frozen clock makes the hold visible); a 503 holds nothing', async () => {
    const server = await startServer((_req, index) =>
      index === 0 ? { status: 429, json: { errors: [{ type: 'RequestError', data: { msBeforeNext: 1000 } }] } } : WORKSPACE,
    );
    const { client, events } = makeClient(server, { sleep: async () => undefined });
    await client.getWorkspace();
    const rateWaits = events.filter((e): e is Extract<ApiEvent, { type: 'rate-wait' }> => e.type === 'rate-wait');
    expect(rateWaits.map((e) => [e.reason, e.delayMs])).toEqual([['rate-limit-remaining', 1000]]);

    const busy = await startServer((_req, index) => (index === 0 ? fail(503, { type: 'unavailable' }) : WORKSPACE));
    const second = makeClient(busy, { sleep: async () => undefined, random: () => 0.5 });
    await second.client.getWorkspace();
    expect(second.events.filter((e) => e.type === 'rate-wait')).toEqual([]);
    expect(second.events.filter((e) => e.type === 'retry')).toEqual([expect.objectContaining({ reason: 'server-error', status: 503 })]);
  });

  test('a retry with no delay does not sleep', async () => {
    const server = await startServer((_req, index) => (index === 0 ? fail(503, { type: 'unavailable' }) : WORKSPACE));
    const { client, sleeps, events } = makeClient(server, { random: () => 0 });
    await client.getWorkspace();
    expect(sleeps).toEqual([]);
    expect(events.filter((e) => e.type === 'retry')).toEqual([expect.objectContaining({ delayMs: 0 })]);
  });

  test('X-RateLimit-Remaining: 0 without a usable reset holds nothing', async () => {
    const server = await startServer(() => ({ ...WORKSPACE, headers: { 'X-RateLimit-Remaining': '0' } }));
    const { client, events } = makeClient(server, { sleep: async () => undefined });
    await client.getWorkspace();
    await client.getWorkspace();
    expect(events.filter((e) => e.type === 'rate-wait')).toEqual([]);
  });

  test('an error with no Segment body and no status text says "HTTP <status>"', async () => {
    const server = await startServer(() => ({ status: 502, text: '' }));
    const { client } = makeClient(server, { maxRetries: 0 });
    const error = (await rejectionOf(client.getWorkspace())) as SegmentApiError;
    expect(error.name).toBe('SegmentApiError');
    expect(error.errors).toEqual([expect.objectContaining({ type: expect.any(String), message: expect.stringMatching(/^HTTP 502( Bad Gateway)?$/) })]);
  });

  test('a 2xx body that is only whitespace is "an empty body"', async () => {
    const server = await startServer(() => ({ status: 200, text: '  \n ' }));
    const { client } = makeClient(server, { maxRetries: 0 });
    const error = await rejectionOf(client.getWorkspace());
    expect(error).toBeInstanceOf(SegmentApiResponseError);
    expect(error.name).toBe('SegmentApiResponseError');
    expect(error.message).toContain('(body): expected a JSON body { "data": ... }, got an empty body');
  });

  describe('a network failure is reported by its useful part', () => {
    async function reasonFor(thrown: unknown): Promise<string> {
      const server = await startServer(() => WORKSPACE);
      const { client } = makeClient(server, {
        maxRetries: 0,
        fetch: async () => {
          throw thrown;
        },
      });
      const error = (await rejectionOf(client.getWorkspace())) as SegmentApiError;
      expect(error.errors[0].type).toBe('network');
      return error.errors[0].message ?? '';
    }

    test("undici's cause: its code and message", async () => {
      expect(await reasonFor(new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) }))).toContain(
        '(ECONNRESET: socket hang up)',
      );
    });

    test('a code already in the message is not repeated; a non-string code is left out', async () => {
      expect(await reasonFor(new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' }) }))).toContain(
        '(connect ECONNREFUSED 10.0.0.1:443)',
      );
      expect(await reasonFor(Object.assign(new Error('odd failure'), { code: 42 }))).toContain('(odd failure)');
    });

    // Hand-written mutant api-network-error-unredacted (scripts/hand-mutants.js): a runtime or proxy whose
    // error text echoes the Authorization header must not put the token in the error or its message.
    test('a network error that echoes the token is redacted, whole and in part, in the error and every event', async () => {
      const server = await startServer(() => WORKSPACE);
      const echo = `proxy refused "Authorization: Bearer ${TOKEN}" (first part ${TOKEN.slice(0, 12)})`;
      const { client, events } = makeClient(server, {
        maxRetries: 1,
        fetch: async () => {
          throw new TypeError('fetch failed', { cause: Object.assign(new Error(echo), { code: 'EPROXY' }) });
        },
      });
      const error = (await rejectionOf(client.getWorkspace())) as SegmentApiError;
      const texts = [error.message, ...error.errors.map((e) => e.message ?? ''), ...events.map((e) => JSON.stringify(e))];
      expect(error.errors[0].message).toContain('proxy refused');
      for (const text of texts) {
        expect(text).not.toContain(TOKEN.slice(0, 8));
        expect(text).not.toContain(TOKEN.slice(-8));
      }
      expect(error.message).toContain(REDACTED);
    });

    test('without a usable cause, the error itself; a thrown non-error as text', async () => {
      expect(await reasonFor(new TypeError('fetch failed', { cause: 'just text' }))).toContain('(fetch failed)');
      expect(await reasonFor(new Error('plain'))).toContain('(plain)');
      expect(await reasonFor('a string')).toContain('(a string)');
      expect(await reasonFor({ message: 42 })).toContain('([object Object])');
    });
  });
});

describe('messages', () => {
  const base = { method: 'GET' as const, path: '/', errors: undefined, contentType: '', body: '', attempts: 1, tokenName: 'SEGMENT_TOKEN', redact: (t: string) => t };

  test('an unrecognised body without status text or content type', () => {
    expect(httpFailureMessage({ ...base, status: 500, statusText: '' })).toBe(
      'Segment API GET / failed (500): the response was not a Segment error body (no content type, empty)',
    );
  });

  test('403 explains the token, the workspace and the plan', () => {
    const message = httpFailureMessage({ ...base, status: 403, statusText: 'Forbidden', contentType: 'text/plain', body: 'no' });
    expect(message).toContain('(403 Forbidden): the response was not a Segment error body (text/plain): "no"');
    expect(message).toContain("and that the workspace's plan has the feature (user groups and the audit trail are Business-plan features)");
  });

  test('bodySnippet cuts at 160 characters, and not at exactly 160', () => {
    const exactly = 'a'.repeat(160);
    expect(bodySnippet(exactly, (t) => t)).toBe(exactly);
    expect(bodySnippet(`${exactly}b`, (t) => t)).toBe(`${'a'.repeat(157)}...`);
  });

  test('SegmentApiResponseError lists every issue; an empty field is the body', () => {
    const error = new SegmentApiResponseError('GET', '/users', 200, [
      { field: '', message: 'not JSON' },
      { field: 'data.users.0.email', message: 'missing' },
    ]);
    expect(error.message).toBe('Segment API GET /users returned an unexpected response (HTTP 200): (body): not JSON; data.users.0.email: missing');
  });

  test('base URLs: credentials are refused; an unknown region names the known ones', () => {
    expect(() => normaliseBaseUrl('https://user:pw@api.example', 'PUBLIC_API_URL')).toThrow('PUBLIC_API_URL must not carry credentials; pass the token separately');
    expect(() => resolveBaseUrl({ region: 'MARS' as never, env: {} })).toThrow('Unknown Segment region "MARS": use one of US, EU');
  });

  test('a repeated cursor stops the listing, naming the call', async () => {
    const server = await startServer(() => ok({ users: [], pagination: { current: 'MA==', next: 'Mg==', totalEntries: 9 } }));
    const { client } = makeClient(server);
    const error = await rejectionOf(client.listUsers());
    expect(error).toBeInstanceOf(SegmentApiResponseError);
    expect(error.message).toMatch(/^Segment API GET \/users returned an unexpected response \(HTTP 200\): data\.pagination\.next: repeats an earlier cursor; stopping to avoid an endless listing$/);
  });
});

describe('chunkForQuery keeps a query of exactly MAX_QUERY_CHARS in one call', () => {
  test('at the limit one chunk; one character more, two', () => {
    const name = 'emails';
    const first = 'a'.repeat(100);
    const firstCost = nestedKey(name, 0, 'dotted').length + 1 + first.length + 1;
    const secondOverhead = nestedKey(name, 1, 'dotted').length + 2;
    const fits = 'b'.repeat(MAX_QUERY_CHARS - firstCost - secondOverhead);
    expect(chunkForQuery(name, [first, fits], 'dotted')).toEqual([[first, fits]]);
    expect(chunkForQuery(name, [first, `${fits}b`], 'dotted')).toEqual([[first], [`${fits}b`]]);
  });
});


describe('defaults', () => {
  test('the default sleep really waits, and the default query syntax is dotted', async () => {
    const { sleep } = resolveClientOptions({ token: 'sgp_' + 'x'.repeat(40), baseUrl: 'http://127.0.0.1:1' });
    const started = Date.now();
    await sleep(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(encodeQuery({ userIds: ['a', 'b'], pagination: { count: 2 } })).toBe('?userIds.0=a&userIds.1=b&pagination.count=2');
  });
});
