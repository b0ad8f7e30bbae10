import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { createServer } from 'http';
import type { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import * as enums from '../../model/enums';
import { REGION_ENDPOINTS, Region } from '../../model/enums';
import { DEFAULT_ROLE_PRESETS, SegmentRoleName, TEAM_ROLE_PRESETS } from '../../model/role-presets';
import { BUSINESS_TIER_ROLES, SEGMENT_ROLE_SCOPES, TEAM_PLAN_ROLES } from '../../model/grantable';
import { PERSONAL_EMAIL_DOMAINS } from '../../policy/rules/email';
import { GUARDRAIL_RULES } from '../../policy/rule-pack';
import { EXECUTOR_COMMANDS } from '../../cli/executor-commands';
import { GROUP_CREATED_EVENT_TYPES, INVITE_EVENT_TYPES } from '../../reconciler/evidence';
import { EMPTY_COUNTS } from '../../reconciler/reconcile';
import { resolveBaseUrl } from '../../api/base-url';
import { clientForWorkspace } from '../../cli/api-context';
import { desiredState } from '../support/desired';
import { runCommand } from '../support/run-command';

// The token goes only to Segment's API host for the declared region, or to the operator's
// PUBLIC_API_URL: never to a URL from the desired state or the definition, and no module a definition
// imports can change that (the red team pointed the executor at 127.0.0.1 by editing REGION_ENDPOINTS).

const FIRST_RULE = GUARDRAIL_RULES[0];

const TABLES: [string, () => void][] = [
  ['REGION_ENDPOINTS (a host)', () => ((REGION_ENDPOINTS as any)[Region.US].apiUrl = 'http://127.0.0.1:1')],
  ['REGION_ENDPOINTS (a new region)', () => ((REGION_ENDPOINTS as any).XX = { apiUrl: 'http://127.0.0.1:1' })],
  ['SegmentRoleName', () => ((SegmentRoleName as any).WORKSPACE_OWNER = 'Source Read-only')],
  ['DEFAULT_ROLE_PRESETS', () => (DEFAULT_ROLE_PRESETS[enums.WorkspaceRole.MEMBER].workspaceRoles as string[]).push('Workspace Owner')],
  ['TEAM_ROLE_PRESETS', () => ((TEAM_ROLE_PRESETS as any).READ_ONLY = DEFAULT_ROLE_PRESETS.ADMIN)],
  ['SEGMENT_ROLE_SCOPES', () => ((SEGMENT_ROLE_SCOPES as any)['Workspace Owner'].labels = true)],
  ['TEAM_PLAN_ROLES', () => (TEAM_PLAN_ROLES as string[]).push('Workspace Member')],
  ['BUSINESS_TIER_ROLES', () => (BUSINESS_TIER_ROLES as string[]).splice(0)],
  ['PERSONAL_EMAIL_DOMAINS', () => (PERSONAL_EMAIL_DOMAINS as string[]).splice(0)],
  ['GUARDRAIL_RULES', () => (GUARDRAIL_RULES as unknown[]).splice(0)],
  ['a guardrail rule', () => ((FIRST_RULE as any).check = () => [])],
  ['EXECUTOR_COMMANDS', () => ((EXECUTOR_COMMANDS as any).reconcile = { summary: '', load: () => ({ run: async () => 0 }) })],
  ['INVITE_EVENT_TYPES', () => (INVITE_EVENT_TYPES as string[]).push('Anything')],
  ['GROUP_CREATED_EVENT_TYPES', () => (GROUP_CREATED_EVENT_TYPES as string[]).splice(0)],
  ['EMPTY_COUNTS', () => ((EMPTY_COUNTS as any).invited = 5)],
];

describe('the tables the executor uses cannot be changed by a module that imports them', () => {
  test.each(TABLES)('%s is frozen: changing it throws and changes nothing', (_name, mutate) => {
    const before = JSON.stringify({ REGION_ENDPOINTS, SegmentRoleName, DEFAULT_ROLE_PRESETS, TEAM_ROLE_PRESETS, SEGMENT_ROLE_SCOPES, TEAM_PLAN_ROLES, BUSINESS_TIER_ROLES, PERSONAL_EMAIL_DOMAINS, INVITE_EVENT_TYPES, EMPTY_COUNTS, rules: GUARDRAIL_RULES.map((r) => r.id) });
    expect(mutate).toThrow(TypeError);
    expect(JSON.stringify({ REGION_ENDPOINTS, SegmentRoleName, DEFAULT_ROLE_PRESETS, TEAM_ROLE_PRESETS, SEGMENT_ROLE_SCOPES, TEAM_PLAN_ROLES, BUSINESS_TIER_ROLES, PERSONAL_EMAIL_DOMAINS, INVITE_EVENT_TYPES, EMPTY_COUNTS, rules: GUARDRAIL_RULES.map((r) => r.id) })).toBe(before);
  });

  test('replacing the exported table itself does not move the host: the client keeps its own copy', () => {
    const original = enums.REGION_ENDPOINTS;
    try {
      (enums as { REGION_ENDPOINTS: unknown }).REGION_ENDPOINTS = { US: { apiUrl: 'http://127.0.0.1:1', appUrl: 'x' }, EU: { apiUrl: 'http://127.0.0.1:2', appUrl: 'x' } };
      expect(resolveBaseUrl({ region: Region.US, env: {} })).toBe('https://api.segmentapis.com');
      expect(resolveBaseUrl({ region: Region.EU, env: {} })).toBe('https://eu1.api.segmentapis.com');
    } finally {
      (enums as { REGION_ENDPOINTS: unknown }).REGION_ENDPOINTS = original;
    }
  });
});

describe('the token goes only to Segment, or to the operator\'s PUBLIC_API_URL', () => {
  const TOKEN = 'sgp_token_under_test_0123456789';
  let seen: string[];
  let spy: jest.SpyInstance;
  beforeEach(() => {
    seen = [];
    spy = jest.spyOn(globalThis, 'fetch').mockImplementation(async (url) => {
      seen.push(String(url));
      return new Response(JSON.stringify({ data: { workspace: { id: 'ws_test_1', slug: 's', name: 'n' } } }), { status: 200, headers: { 'content-type': 'application/json' } });
    });
  });
  afterEach(() => spy.mockRestore());

  /** A desired-state file someone edited to carry a URL (older versions wrote one, and used it). */
  const tampered = (region: Region) => ({ ...desiredState([]).workspace, region, apiUrl: 'http://127.0.0.1:9/steal' }) as ReturnType<typeof desiredState>['workspace'];

  test.each([
    [Region.US, 'https://api.segmentapis.com/'],
    [Region.EU, 'https://eu1.api.segmentapis.com/'],
  ])('region %s: the region\'s Segment host, whatever URL the file carries', async (region, host) => {
    const api = clientForWorkspace(tampered(region), () => undefined, { SEGMENT_TEST_TOKEN: TOKEN });
    await api.getWorkspace();
    expect(seen).toEqual([host]);
  });

  test('PUBLIC_API_URL from the environment (the operator: an emulator, a proxy) is the one other host', async () => {
    const api = clientForWorkspace(tampered(Region.US), () => undefined, { SEGMENT_TEST_TOKEN: TOKEN, PUBLIC_API_URL: 'http://127.0.0.1:4010' });
    await api.getWorkspace();
    expect(seen).toEqual(['http://127.0.0.1:4010/']);
  });
});

describe('the bundled executor, run as Terraform runs it', () => {
  test('a desired-state file pointing at another host: the token never reaches it', async () => {
    const received: string[] = [];
    const server = createServer((req, res) => {
      received.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      res.end('{}');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const port = (server.address() as AddressInfo).port;
    try {
      const dir = mkdtempSync(join(tmpdir(), 'sa-hosts-'));
      const file = join(dir, 'segment-access.ws_test_1.json');
      const state = desiredState([]);
      writeFileSync(file, JSON.stringify({ ...state, workspace: { ...state.workspace, apiUrl: `http://127.0.0.1:${port}` } }));
      // No network beyond loopback here: fetch to Segment's host is answered by a preload that records it.
      const preload = join(dir, 'record-fetch.js');
      writeFileSync(preload, `globalThis.fetch = async (url) => { require('fs').appendFileSync(${JSON.stringify(join(dir, 'hosts.txt'))}, String(url) + '\\n'); return new Response('{"errors":[{"type":"unauthorized"}]}', { status: 401 }); };`);
      const executor = resolve(__dirname, '..', '..', 'dist', 'executor', 'segment-access-executor.cjs');
      const run = await runCommand(process.execPath, ['-r', preload, executor, 'plan', '--desired-state', file], { PATH: process.env.PATH, SEGMENT_TEST_TOKEN: 'sgp_token_under_test_0123456789' });
      // Segment's host was asked (and refused the fake token); the other host heard nothing.
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('Segment API GET / failed (401 unauthorized)');
      expect(readFileSync(join(dir, 'hosts.txt'), 'utf8')).toBe('https://api.segmentapis.com/\n');
      expect(received).toEqual([]);
    } finally {
      await new Promise((done) => server.close(done));
    }
  });
});
