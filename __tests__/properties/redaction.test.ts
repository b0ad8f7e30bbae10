import { inspect } from 'node:util';
import { test } from '@fast-check/jest';
import { SegmentApiClient, type ApiEvent } from '../../api';
import { MIN_REDACTED_PIECE } from '../../api/redact';
import { fc, numRuns } from './fast-check-config';

// Whatever a server (or a proxy in front of it) echoes back, no message, event or error the client
// produces holds the token or any piece of it of 8 or more characters.

/** Bearer tokens are b64token (RFC 6750 section 2.1); Segment's are "sgp_" + 64 letters and digits. */
const B64TOKEN = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/'];
const tokenArb = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'), minLength: 64, maxLength: 64 }).map((s) => `sgp_${s}`),
  // At least a piece long: a shorter "token" could be any word of the client's own prose.
  fc.string({ unit: fc.constantFrom(...B64TOKEN), minLength: MIN_REDACTED_PIECE, maxLength: 90 }),
  fc.string({ unit: fc.constantFrom('a', 'b', '1'), minLength: 8, maxLength: 40 }), // repetitive: pieces overlap everywhere
);

/** Every piece the property forbids: each window of 8 characters (longer pieces contain one). */
function forbiddenPieces(token: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i + MIN_REDACTED_PIECE <= token.length; i++) out.add(token.slice(i, i + MIN_REDACTED_PIECE));
  return [...out];
}

/** A text built from junk and pieces of the token, as a hostile or broken server might echo it. */
function echoArb(token: string): fc.Arbitrary<string> {
  const piece = fc
    .tuple(fc.nat({ max: token.length }), fc.nat({ max: token.length }))
    .map(([a, b]) => token.slice(Math.min(a, b), Math.max(a, b)));
  const junk = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 6 }), fc.constantFrom('\n', '\t', '\u001b[31m', ' ', '"', '\\', '<b>', '</b>', 'Bearer '));
  const part = fc.oneof(
    { weight: 3, arbitrary: piece },
    { weight: 2, arbitrary: junk },
    { weight: 1, arbitrary: fc.constant(`Bearer ${token}`) },
    { weight: 1, arbitrary: piece.map((p) => JSON.stringify(p).slice(1, -1)) },
    { weight: 1, arbitrary: fc.tuple(piece, fc.nat({ max: 3 })).map(([p, n]) => p.repeat(n + 1)) },
    { weight: 1, arbitrary: piece.map((p) => `<span>${p.slice(0, 4)}</span>${p.slice(4)}`) },
  );
  return fc.array(part, { maxLength: 10 }).map((parts) => parts.join(''));
}

/** Header values and reason phrases must be visible ASCII (fetch's Response rejects anything else). */
function headerSafe(text: string): string {
  return text.replace(/[^\x21-\x7e ]/g, '').trim();
}

interface Scenario {
  readonly status: number;
  readonly shape: 'text' | 'html' | 'envelope' | 'json-string';
  readonly body: string;
  readonly statusText: string;
  readonly contentType: string;
  readonly call: 'getUser' | 'listRoles' | 'deleteGroup' | 'createInvites';
}

function scenarioArb(token: string): fc.Arbitrary<Scenario> {
  return fc.record({
    status: fc.constantFrom(200, 400, 401, 403, 404, 409, 422, 429, 500, 502, 503),
    shape: fc.constantFrom('text', 'html', 'envelope', 'json-string'),
    body: echoArb(token),
    statusText: echoArb(token).map(headerSafe),
    contentType: fc.oneof(fc.constant('text/html'), echoArb(token).map((t) => `application/json; x=${headerSafe(t)}`)),
    call: fc.constantFrom('getUser', 'listRoles', 'deleteGroup', 'createInvites'),
  });
}

function responseBody(s: Scenario): string {
  switch (s.shape) {
    case 'text':
      return s.body;
    case 'html':
      return `<html><head><title>${s.body.slice(0, 20)}</title></head><body><h1>Error</h1><pre>${s.body}</pre></body></html>`;
    case 'envelope':
      return JSON.stringify({ errors: [{ type: s.body.slice(0, 30) || 'x', message: s.body, field: s.body.slice(3), data: { [s.body.slice(0, 9)]: s.body, nested: [s.body] } }] });
    case 'json-string':
      return JSON.stringify({ data: s.body, message: s.body });
  }
}

async function run(token: string, s: Scenario): Promise<string[]> {
  const events: ApiEvent[] = [];
  const client = new SegmentApiClient({
    token,
    baseUrl: 'https://api.segmentapis.com',
    maxRetries: 1,
    sleep: async () => undefined,
    onEvent: (e) => events.push(e),
    fetch: async () =>
      new Response(responseBody(s), { status: s.status, statusText: s.statusText, headers: { 'content-type': s.contentType, 'x-echo': headerSafe(s.body) } }),
  });
  const outputs: string[] = [];
  try {
    if (s.call === 'getUser') await client.getUser('u1');
    else if (s.call === 'listRoles') await client.listRoles();
    else if (s.call === 'deleteGroup') await client.deleteGroup('g1');
    else await client.createInvites([{ email: 'a@agency.example' }]);
  } catch (error) {
    const e = error as Error;
    outputs.push(e.message, String(e.stack), JSON.stringify(e), JSON.stringify({ ...e }), inspect(e, { depth: 8 }));
  }
  outputs.push(JSON.stringify(events), inspect(events, { depth: 8 }));
  return outputs;
}

test.prop([tokenArb.chain((token) => fc.tuple(fc.constant(token), scenarioArb(token)))], { numRuns: numRuns(300) })(
  'no output holds the token or any 8-character piece of it, whatever the server echoes',
  async ([token, scenario]) => {
    const outputs = await run(token, scenario);
    for (const piece of forbiddenPieces(token)) {
      for (const output of outputs) expect(output.includes(piece) ? `${piece} leaked in: ${output}` : 'clean').toBe('clean');
    }
  },
);

test('a proxy page echoing the Authorization header shows none of the token (the issue\'s case: 64 of 68 characters leaked)', async () => {
  const token = `sgp_${'A1b2C3d4'.repeat(8)}`;
  // The token starts at character 93 of the body: a snippet cut at 157 before redacting held 64 of its 68 characters.
  const filler = 'Proxy error: the upstream refused the request; the headers it received follow'.padEnd(70, '.');
  const outputs = await run(token, {
    status: 502,
    shape: 'text',
    body: `${filler} Authorization: Bearer ${token} and more text after it`,
    statusText: 'Bad Gateway',
    contentType: 'text/html',
    call: 'getUser',
  });
  expect(outputs[0]).toContain('Authorization: Bearer [redacted]');
  for (const piece of forbiddenPieces(token)) expect(outputs.join('\n')).not.toContain(piece);
});

test('a prefix, a suffix and a middle piece of 8 characters are each redacted; 7 characters are not a piece', async () => {
  const token = `sgp_${'Zq9'.repeat(21)}x`;
  const outputs = await run(token, {
    status: 400,
    shape: 'text',
    body: `a ${token.slice(0, 8)} b ${token.slice(-8)} c ${token.slice(20, 28)} d ${token.slice(0, 7)}`,
    statusText: 'Bad Request',
    contentType: 'text/plain',
    call: 'listRoles',
  });
  expect(outputs[0]).toContain('a [redacted] b [redacted] c [redacted] d sgp_Zq9');
});
