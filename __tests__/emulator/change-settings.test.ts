import { AuditEventNames, DuplicateGroupNames, EmailCase, EmulatorClock, EmulatorState } from '../../emulator';
import { ACME, roleId, testSeed } from './support';

// Segment may change a behaviour it does not document without notice: the model-based lifecycle test
// switches settings while the emulator runs (EmulatorState.changeSettings).

const sourceAdmin = () => [{ roleId: roleId('Source Admin'), resources: [{ id: 'src-web', type: 'SOURCE' as const }] }];
const SOMEONE = { actor: 'ops@acme.com', actorEmail: 'ops@acme.com' };

describe('EmulatorState.changeSettings', () => {
  it('what follows obeys the new settings; what was stored stays as it was written', () => {
    const state = EmulatorState.fromSeed(testSeed(), new EmulatorClock());
    state.createInvites(ACME, [{ email: 'Kim.Park@Acme.com', permissions: sourceAdmin() }], SOMEONE);
    const revision = state.revision;

    const now = state.changeSettings({ emailCase: EmailCase.PRESERVED, auditEventNames: AuditEventNames.IN_APP });
    expect(now.emailCase).toBe(EmailCase.PRESERVED);
    expect(state.settings).toBe(now);
    // the change is a committed change: a state file would be saved
    expect(state.revision).toBe(revision + 1);

    state.createInvites(ACME, [{ email: 'Lou.Ng@Acme.com', permissions: sourceAdmin() }], SOMEONE);
    const emails = state.listInvites(ACME).map((i) => i.email);
    expect(emails).toContain('kim.park@acme.com'); // stored lower-cased before the switch
    expect(emails).toContain('Lou.Ng@Acme.com'); // kept as given after it
    const names = state.listAuditEvents(ACME).map((e) => e.type);
    expect(names).toContain('Non-Segment User Invited to Workspace'); // before: the SDK's names
    expect(names).toContain('User Invite Sent'); // after: the in-app trail's
  });

  it('other settings are kept; a switch back restores the earlier behaviour', () => {
    const state = EmulatorState.fromSeed(testSeed(), new EmulatorClock(), { duplicateGroupNames: DuplicateGroupNames.REFUSED_422, inviteExpiryDays: 3 });
    state.changeSettings({ emailCase: EmailCase.PRESERVED });
    expect(state.settings.duplicateGroupNames).toBe(DuplicateGroupNames.REFUSED_422);
    expect(state.settings.inviteExpiryDays).toBe(3);
    state.createGroup(ACME, 'Twins', SOMEONE);
    expect(() => state.createGroup(ACME, 'Twins', SOMEONE)).toThrow();
    state.changeSettings({ duplicateGroupNames: DuplicateGroupNames.ALLOWED });
    expect(state.createGroup(ACME, 'Twins', SOMEONE).name).toBe('Twins');
    expect(state.listGroups(ACME).filter((g) => g.name === 'Twins')).toHaveLength(2);
  });

  it('refuses a value outside the schema and keeps the settings in force', () => {
    const state = EmulatorState.fromSeed(testSeed(), new EmulatorClock());
    const before = state.settings;
    const revision = state.revision;
    expect(() => state.changeSettings({ inviteExpiryDays: -1 })).toThrow(/inviteExpiryDays|too small|>0/);
    expect(state.settings).toBe(before);
    expect(state.revision).toBe(revision);
  });
});
