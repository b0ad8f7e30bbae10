import { App } from '../../framework';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { NOW_CONTEXT_KEY } from '../../constructs/synth-clock';
import { Environment } from '../../model/enums';
import { SegmentAccessValidationError } from '../../model/validation';
import { SegmentAccessStack } from '../../stacks/segment-access-stack';
import { e2eDefinition } from '../support/e2e-definitions';
import { workspace } from '../support/fixtures';
import { readStackJson, TEST_NOW, testStack } from '../support/synth';

describe('appId: the identity that namespaces the record of managed users', () => {
  test('defaults to "default" and reaches the desired state and the release anchor', () => {
    const ws = workspace(testStack());
    expect(ws.desiredState().management).toMatchObject({ appId: 'default', useAuditTrail: true });
  });

  test.each(['Acme', 'a', 'has:colon', 'with space', '1starts-with-digit', 'x'.repeat(41), 'group-grant'])('fails: appId %j names the field, the value and what is allowed', (appId) => {
    let error: unknown;
    try {
      workspace(testStack(), { appId });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SegmentAccessValidationError);
    const problem = (error as SegmentAccessValidationError).problems[0];
    expect(problem).toMatchObject({ field: 'appId', received: appId });
    expect((error as Error).message).toMatch(/allowed: (a stable app name: 2 to 40 lowercase letters|any app name except "group-grant")/);
    expect((error as Error).message).toContain('Fix: name the app once and keep it');
  });

  test('a stack passes its appId to a workspace that sets none; one the workspace sets wins', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'sa-appid-'));
    const app = new App({ outdir, context: { [NOW_CONTEXT_KEY]: TEST_NOW } });
    const fromStack = new SegmentAccessStack(app, 'prod', { definition: e2eDefinition([]), environment: Environment.PROD, appId: 'data-team' });
    const other = new App({ outdir: mkdtempSync(join(tmpdir(), 'sa-appid-')), context: { [NOW_CONTEXT_KEY]: TEST_NOW } });
    const own = new SegmentAccessStack(other, 'prod', { definition: e2eDefinition([], { appId: 'growth-team' }), environment: Environment.PROD, appId: 'data-team' });
    expect(fromStack.workspace.appId).toBe('data-team');
    expect(own.workspace.appId).toBe('growth-team');
    app.synth();
    const release = readStackJson(outdir, 'prod').resource.terraform_data.workspace_release;
    expect(release.triggers_replace.app_id).toBe('data-team');
    expect(release.provisioner[0]['local-exec'].environment.SEGMENT_ACCESS_APP_ID).toBe('${lookup(self.triggers_replace, "app_id", "")}');
  });

  test('useAuditTrail: false reaches the desired state and the release provisioner, but not the anchor\'s triggers', () => {
    const ws = workspace(testStack(), { useAuditTrail: false });
    expect(ws.desiredState().management.useAuditTrail).toBe(false);
    const stackJson = JSON.parse(JSON.stringify(ws.releaseAnchor.synthesizedTriggers()));
    expect(Object.keys(stackJson).sort()).toEqual(['app_id', 'record_prefix', 'workspace_id']);
  });
});

describe('the record\'s other control settings', () => {
  const problemOf = (props: Record<string, unknown>) => {
    try {
      workspace(testStack(), props);
    } catch (e) {
      expect(e).toBeInstanceOf(SegmentAccessValidationError);
      return { problem: (e as SegmentAccessValidationError).problems[0], message: (e as Error).message };
    }
    throw new Error('expected a validation error');
  };

  test('recordKeyEnvVar: SEGMENT_ACCESS_RECORD_KEY by default; a SEGMENT_ name of its own reaches the desired state (the NAME only)', () => {
    expect(workspace(testStack()).desiredState().management).toMatchObject({ recordKeyEnvVar: 'SEGMENT_ACCESS_RECORD_KEY', migrateLegacyRecords: false });
    const ws = workspace(testStack(), { recordKeyEnvVar: 'SEGMENT_PROD_RECORD_KEY', migrateLegacyRecords: true });
    expect(ws.desiredState().management).toMatchObject({ recordKeyEnvVar: 'SEGMENT_PROD_RECORD_KEY', migrateLegacyRecords: true });
  });

  test.each(['RECORD_KEY', 'segment_access_key', 'SEGMENT-KEY', ''])('fails: recordKeyEnvVar %j is not a SEGMENT_ variable name', (name) => {
    const { problem, message } = problemOf({ recordKeyEnvVar: name });
    expect(problem).toMatchObject({ field: 'recordKeyEnvVar', received: name });
    expect(message).toContain('an environment variable NAME starting with "SEGMENT_"');
    expect(message).toContain('Fix: give the NAME of the variable that holds the record key');
  });

  test('fails: a record key pasted as recordKeyEnvVar is refused and never shown', () => {
    const key = 'sark_xicZWbtcH_NnzvNFlDoGoUEnb8N1pNIq40fG19pravA';
    const { problem, message } = problemOf({ recordKeyEnvVar: key });
    expect(problem.field).toBe('recordKeyEnvVar');
    expect(message).not.toContain(key.slice(5, 15));
  });

  test.each(['segment-access:cteam', 'a:b', 'ab'])('fails: recordPrefix %j (no ":", at least 3 characters)', (recordPrefix) => {
    const { problem, message } = problemOf({ recordPrefix });
    expect(problem).toMatchObject({ field: 'recordPrefix', received: recordPrefix });
    expect(message).toContain('no ":": it separates the parts of a record name');
  });
});
