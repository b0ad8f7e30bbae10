import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { Aspects, TerraformStack, Testing } from '../../framework';
import { CollaboratorKind, Environment, WorkspaceRole } from '../../model/enums';
import { NOW_CONTEXT_KEY } from '../../constructs/synth-clock';
import { guardrailFindings, SegmentAccessGuardrails } from '../../policy/guardrails-aspect';
import { RuleLevel } from '../../policy/rule';
import { GuardrailSuppressions } from '../../policy/suppressions';
import { SegmentAccessStack } from '../../stacks/segment-access-stack';
import type { AccessDefinition } from '../../stacks/access-definition';
import { EXAMPLE_ACCESS } from '../support/example';
import { collaborator, workspace } from '../support/fixtures';
import { ENVIRONMENTS, synthApp, TEST_NOW } from '../support/synth';
import { inDays, LEVEL, manifestAnnotations, newApp, policyStack, setup, withoutContinueOnError } from './support';

withoutContinueOnError();

describe('a real synth with the guardrail aspect', () => {
  test('an error finding throws, naming the rule id and the construct path, and writes no Terraform for the stack', () => {
    const { app, outdir, stack, ws } = setup();
    ws.addGrant('Adm', { collaborator: collaborator(stack, 'Adm'), role: WorkspaceRole.ADMIN });
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('segment-access guardrails failed:');
    expect(message).toContain('[prod/Workspace/Adm] [SA-PRIV-002]');
    expect(message).toContain('adm@agency.example');
    expect(existsSync(join(outdir, 'stacks', 'prod', 'cdk.tf.json'))).toBe(false);
    expect(existsSync(join(outdir, 'manifest.json'))).toBe(false);
  });

  test('every unsuppressed error is listed, each with its own path', () => {
    const { app, stack, ws } = setup({ seatLimit: 1 });
    ws.addGrant('Adm', { collaborator: collaborator(stack, 'Adm'), role: WorkspaceRole.ADMIN });
    ws.addGrant('Box', { collaborator: collaborator(stack, 'Box', { email: 'box@gmail.com' }), role: WorkspaceRole.READ_ONLY });
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('[prod/Workspace/Adm] [SA-PRIV-002]');
    expect(message).toContain('[prod/Workspace/Box] [SA-EMAIL-001]');
    expect(message).toContain('[prod/Workspace] [SA-SEAT-001]');
  });

  test('only warnings: synth succeeds and the warnings are in the stack annotations of manifest.json', () => {
    const { app, outdir, stack, ws } = setup();
    ws.addGrant('Pat', { collaborator: collaborator(stack, 'Pat', { kind: CollaboratorKind.PERSON }), role: WorkspaceRole.READ_ONLY });
    ws.addGrant('Soon', { collaborator: collaborator(stack, 'Soon'), role: WorkspaceRole.READ_ONLY, expiresOn: inDays(3) });
    ws.addGrant('Gone', { collaborator: collaborator(stack, 'Gone'), role: WorkspaceRole.READ_ONLY, expiresOn: inDays(-10) });
    const findings = guardrailFindings(stack);
    expect(findings.every((f) => f.level === RuleLevel.WARNING)).toBe(true);
    expect(() => app.synth()).not.toThrow();
    expect(existsSync(join(outdir, 'stacks', 'prod', 'cdk.tf.json'))).toBe(true);
    const annotations = manifestAnnotations(outdir, 'prod');
    const summary = annotations.map((a) => `${a.level} ${a.constructPath} ${a.message.slice(0, 13).trim()}`).sort();
    expect(summary).toEqual([
      `${LEVEL.warning} prod/Workspace/Gone [SA-EXP-001]`,
      `${LEVEL.warning} prod/Workspace/Pat [SA-EXP-003]`,
      `${LEVEL.warning} prod/Workspace/Soon [SA-EXP-002]`,
    ]);
    const pat = annotations.find((a) => a.constructPath === 'prod/Workspace/Pat')!;
    expect(pat.message).toContain('pat@agency.example (PERSON) has no expiry in Acme Test (ws_test_1).');
    expect(pat.message).toContain('Why: ');
    expect(pat.message).toContain('Fix: Set expiresOn within 180 days');
  });

  test('a suppressed error is recorded as info with its reason, and synth succeeds', () => {
    const { app, outdir, stack, ws } = setup();
    const g = ws.addGrant('Adm', { collaborator: collaborator(stack, 'Adm'), role: WorkspaceRole.ADMIN });
    GuardrailSuppressions.add(g, [{ ruleId: 'SA-PRIV-002', reason: 'Justified in the contract annex B.' }]);
    expect(() => app.synth()).not.toThrow();
    expect(manifestAnnotations(outdir, 'prod')).toEqual([
      expect.objectContaining({
        constructPath: 'prod/Workspace/Adm',
        level: LEVEL.info,
        message: expect.stringMatching(/^\[SA-PRIV-002\] .*Suppressed at prod\/Workspace\/Adm: Justified in the contract annex B\.$/),
      }),
    ]);
  });

  test('a stack only carries the annotations of its own constructs, though rules see the whole app', () => {
    const { app, outdir } = newApp();
    const prod = policyStack(app, 'prod', { workspaceId: 'ws_prod' });
    const dev = policyStack(app, 'dev', { workspaceId: 'ws_dev', environment: Environment.DEV });
    prod.ws.addGrant('Pat', { collaborator: collaborator(prod.stack, 'Pat', { kind: CollaboratorKind.PERSON }), role: WorkspaceRole.READ_ONLY });
    dev.ws.addGrant('Svc', { collaborator: collaborator(dev.stack, 'Svc'), role: WorkspaceRole.READ_ONLY });
    app.synth();
    expect(manifestAnnotations(outdir, 'prod').map((a) => a.constructPath)).toEqual(['prod/Workspace/Pat']);
    expect(manifestAnnotations(outdir, 'dev')).toEqual([]);
  });

  test('a cross-environment error fails synth in the stack whose grant it is about', () => {
    const { app } = newApp();
    const prod = policyStack(app, 'prod', { workspaceId: 'ws_prod' });
    const dev = policyStack(app, 'dev', { workspaceId: 'ws_dev', environment: Environment.DEV });
    prod.ws.addGrant('Ana', { collaborator: collaborator(prod.stack, 'Ana'), role: WorkspaceRole.READ_ONLY });
    dev.ws.addGrant('Ana', { collaborator: collaborator(dev.stack, 'Ana'), role: WorkspaceRole.MEMBER });
    // Only dev is suppressed: prod's grant must still stop synth.
    GuardrailSuppressions.add(dev.stack, [{ ruleId: 'SA-CONS-001', reason: 'Dev role is deliberately higher.' }]);
    expect(() => app.synth()).toThrow('[prod/Workspace/Ana] [SA-CONS-001]');
  });

  test('the aspect honours the guardrail options it is given', () => {
    // Default window (14 days): access ending in 20 days is not flagged.
    const narrow = setup();
    narrow.ws.addGrant('Soon', { collaborator: collaborator(narrow.stack, 'Soon'), role: WorkspaceRole.READ_ONLY, expiresOn: inDays(20) });
    narrow.app.synth();
    expect(manifestAnnotations(narrow.outdir, 'prod')).toEqual([]);

    // A 30-day window flags it.
    const { app, outdir } = newApp();
    const stack = new TerraformStack(app, 'prod');
    Aspects.of(stack).add(new SegmentAccessGuardrails({ expiryWarningDays: 30 }));
    workspace(stack).addGrant('Soon', { collaborator: collaborator(stack, 'Soon'), role: WorkspaceRole.READ_ONLY, expiresOn: inDays(20) });
    app.synth();
    expect(manifestAnnotations(outdir, 'prod').filter((a) => a.message.includes('[SA-EXP-002]'))).toHaveLength(1);
  });

  test('Testing.fullSynth (runs aspects) throws on an error finding too', () => {
    const app = Testing.app({ context: { [NOW_CONTEXT_KEY]: TEST_NOW } });
    const definition: AccessDefinition = {
      workspaces: { [Environment.PROD]: EXAMPLE_ACCESS.workspaces[Environment.PROD]! },
      collaborators: [
        {
          id: 'Adm',
          email: 'adm@acme.example',
          displayName: 'Adm',
          requestedBy: 'lead@acme.example',
          ticket: 'ACCESS-1',
          grant: { role: WorkspaceRole.ADMIN },
        },
      ],
    };
    const stack = new SegmentAccessStack(app, 'prod', { definition, environment: Environment.PROD });
    expect(() => Testing.fullSynth(stack)).toThrow(/\[prod\/Workspace\/Adm\] \[SA-PRIV-002\]/);
  });
});

describe('SegmentAccessStack applies the policy itself', () => {
  test('an error in the definition stops synth of the stack', () => {
    const { app } = newApp();
    const definition: AccessDefinition = {
      ...EXAMPLE_ACCESS,
      collaborators: [
        ...EXAMPLE_ACCESS.collaborators,
        {
          id: 'Personal',
          email: 'northwind.segment@gmail.com',
          displayName: 'Personal mailbox',
          requestedBy: 'dana.lee@acme.example',
          ticket: 'ACCESS-9',
          grant: { role: WorkspaceRole.READ_ONLY },
        },
      ],
    };
    new SegmentAccessStack(app, 'dev', { definition, environment: Environment.DEV });
    expect(() => app.synth()).toThrow('[dev/Workspace/Personal] [SA-EMAIL-001]');
  });

  test('guardrails: false turns the policy off (no aspect, no records)', () => {
    const { app, outdir } = newApp();
    const definition: AccessDefinition = {
      workspaces: { [Environment.DEV]: EXAMPLE_ACCESS.workspaces[Environment.DEV]! },
      collaborators: [{ id: 'Adm', email: 'adm@acme.example', displayName: 'Adm', grant: { role: WorkspaceRole.ADMIN } }],
    };
    new SegmentAccessStack(app, 'dev', { definition, environment: Environment.DEV, guardrails: false });
    expect(() => app.synth()).not.toThrow();
    expect(existsSync(join(outdir, 'records'))).toBe(false);
  });

  test('a bare TerraformStack without the policy does not check anything', () => {
    const { app, outdir } = newApp();
    const stack = new TerraformStack(app, 'prod');
    workspace(stack).addGrant('Adm', { collaborator: collaborator(stack, 'Adm'), role: WorkspaceRole.ADMIN });
    expect(() => app.synth()).not.toThrow();
    expect(manifestAnnotations(outdir, 'prod')).toEqual([]);
  });
});

describe('the example app', () => {
  test('has no error findings and synthesizes', () => {
    const { app } = newApp();
    for (const environment of ENVIRONMENTS) new SegmentAccessStack(app, environment, { definition: EXAMPLE_ACCESS, environment });
    const findings = guardrailFindings(app);
    expect(findings.filter((f) => f.level === RuleLevel.ERROR && !f.suppressed)).toEqual([]);

    const outdir = synthApp(EXAMPLE_ACCESS);
    for (const environment of ENVIRONMENTS) {
      expect(existsSync(join(outdir, 'stacks', environment, 'cdk.tf.json'))).toBe(true);
      expect(manifestAnnotations(outdir, environment).filter((a) => a.level === LEVEL.error)).toEqual([]);
    }
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.stacks).sort()).toEqual(['dev', 'prod', 'staging']);
  });

  test('synthesized after a grant has ended, it reports the expiry as a warning and still synthesizes', () => {
    // On 2027-05-14 the lead's access has ended: a warning (revoked on the next deploy), never an error.
    const outdir = synthApp(EXAMPLE_ACCESS, '2027-05-14T09:00:00Z');
    const prod = manifestAnnotations(outdir, 'prod');
    expect(prod.filter((a) => a.level === LEVEL.error)).toEqual([]);
    expect(prod.some((a) => a.level === LEVEL.warning && a.constructPath === 'prod/Workspace/NorthwindLead' && a.message.includes('[SA-EXP-001]'))).toBe(true);
  });
});
