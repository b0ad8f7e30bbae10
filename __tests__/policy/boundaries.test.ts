import { live as liveState, user } from '../support/live';
import { App, TerraformStack } from '../../framework';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { CollaboratorKind, WorkspaceRole } from '../../model/enums';
import { NOW_CONTEXT_KEY } from '../../constructs/synth-clock';
import { auditWorkspace } from '../../audit/audit';
import { renderAuditMarkdown } from '../../audit/render';
import type { LiveState } from '../../reconciler/live-state';
import { collaborator, workspace } from '../support/fixtures';
import { desiredCollaborator, desiredState, onWorkspace } from '../support/desired';
import { findingsOf } from './support';

// Boundaries pinned exactly (the other tests pin noon, where `<` and `<=` give the same answer).

describe('SA-EXP-002 "access ends within 14 days": the boundary is inclusive, to the millisecond', () => {
  /** Findings of SA-EXP-002 for a grant ending on `expiresOn`, with "now" pinned to `now`. */
  function endingSoon(now: string, expiresOn: string): number {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'sa-boundary-')), context: { [NOW_CONTEXT_KEY]: now } });
    const stack = new TerraformStack(app, 'prod');
    const ws = workspace(stack);
    ws.addGrant('Ana', { collaborator: collaborator(stack, 'Ana', { kind: CollaboratorKind.PERSON }), role: WorkspaceRole.READ_ONLY, expiresOn });
    return findingsOf(app, 'SA-EXP-002').length;
  }

  test('exactly 14 days before the end (midnight UTC to midnight UTC) is flagged', () => {
    expect(endingSoon('2026-11-27T00:00:00.000Z', '2026-12-11')).toBe(1);
  });

  test('one millisecond more than 14 days before the end is not', () => {
    expect(endingSoon('2026-11-26T23:59:59.999Z', '2026-12-11')).toBe(0);
  });

  test('a configured window moves the boundary with it', () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'sa-boundary-')), context: { [NOW_CONTEXT_KEY]: '2026-11-27T00:00:00Z' } });
    const stack = new TerraformStack(app, 'prod');
    workspace(stack).addGrant('Ana', { collaborator: collaborator(stack, 'Ana', { kind: CollaboratorKind.PERSON }), role: WorkspaceRole.READ_ONLY, expiresOn: '2026-12-04' });
    expect(findingsOf(app, 'SA-EXP-002', { expiryWarningDays: 7 })).toHaveLength(1);
    expect(findingsOf(app, 'SA-EXP-002', { expiryWarningDays: 6 })).toHaveLength(0);
  });
});

describe('audit: seats at exactly the limit are not over it', () => {
  function live(members: number, invites: number): LiveState {
    const users = Array.from({ length: members }, (_, i) => user(`u${i}@acme.example`, 'Minimal Workspace Access'));
    return liveState({ users, invites: Array.from({ length: invites }, (_, i) => `pending${i}@acme.example`) });
  }
  const desired = (limit: number) =>
    desiredState([desiredCollaborator('u0@acme.example', onWorkspace('Minimal Workspace Access'))], { management: { recordPrefix: 'segment-access', appId: 'default', useAuditTrail: false, authoritative: false, retain: [] } }, limit);
  const NOW = new Date('2026-11-27T12:00:00Z');

  test('3 members + 2 pending invites with a limit of 5: at the limit, no finding', () => {
    const a = auditWorkspace(desired(5), live(3, 2), NOW);
    expect(a.seats).toEqual({ used: 5, limit: 5, overLimit: false });
    expect(renderAuditMarkdown([a], NOW)).toContain('Seats: 5 used of 5\n');
    expect(renderAuditMarkdown([a], NOW)).not.toContain('over the limit');
  });

  test('one seat more is over the limit, and counts as a finding', () => {
    const at = auditWorkspace(desired(5), live(3, 2), NOW);
    const over = auditWorkspace(desired(5), live(3, 3), NOW);
    expect(over.seats).toEqual({ used: 6, limit: 5, overLimit: true });
    expect(over.findingCount - at.findingCount).toBe(1); // the seat finding (an invite of unknown age is not one)
    expect(renderAuditMarkdown([over], NOW)).toContain('Seats: 6 used of 5 (**over the limit**)');
  });
});
