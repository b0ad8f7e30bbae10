import { App } from 'cdktf';
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
