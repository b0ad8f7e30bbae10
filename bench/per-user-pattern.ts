import { RoleCatalog, toInvitePermissions, toPermissionInputs } from '../reconciler/permissions';
import { ApiInputs, ApiSettings, benchClient, measureScenario, ScenarioResult, startBenchEmulator, waitWindow, WS_ID } from './api-efficiency';
import { progress } from './util';

export interface PerUserResult {
  readonly onboarding: ScenarioResult;
  readonly change: ScenarioResult;
  readonly noChange: ScenarioResult;
}

/**
 * The official provider's per-user pattern (design.md section 3: one `segment_user` per person),
 * simulated against a fresh emulator with the same seed, rate limit and client pacing:
 * - create: one `POST /invites` with one invite, then a full `GET /users` scan (all pages) to find the user;
 * - every plan/apply refreshes each managed user with `GET /users/{id}`;
 * - a role change is one `PUT /users/{id}/permissions` per changed user.
 * Role ids are resolved once before counting (the provider takes them from configuration).
 * Calls are sequential; Terraform's parallelism (10) would shorten the read-bound parts, not the
 * write-bound ones (the 60 writes/minute limit holds per workspace).
 */
export async function measurePerUser(settings: ApiSettings, inputs: ApiInputs): Promise<PerUserResult> {
  const emulator = await startBenchEmulator(settings);
  try {
    let client = benchClient(emulator, settings);
    const roles = new RoleCatalog(await client.listRoles());

    progress(`per-user pattern: onboarding ${inputs.before.collaborators.length} collaborators (one invite + one user scan each)`);
    const onboarding = await measureScenario(emulator, client, settings, async () => {
      for (const c of inputs.before.collaborators) {
        await client.createInvites([{ email: c.email, permissions: toInvitePermissions(c.permissions, roles) }]);
        await client.listUsers();
      }
    });

    emulator.acceptInvites(WS_ID, emulator.state.listInvites(WS_ID).map((i) => i.email));
    const idByEmail = new Map(emulator.state.listUsers(WS_ID).map((u) => [u.email, u.id]));
    const managedIds = inputs.before.collaborators.map((c) => idByEmail.get(c.email)!);
    const changed = new Set(inputs.changedEmails);
    await waitWindow(settings);

    progress(`per-user pattern: refresh + ${changed.size} role changes`);
    client = benchClient(emulator, settings);
    const change = await measureScenario(emulator, client, settings, async () => {
      for (const id of managedIds) await client.getUser(id);
      for (const c of inputs.after.collaborators) {
        if (changed.has(c.email)) await client.replaceUserPermissions(idByEmail.get(c.email)!, toPermissionInputs(c.permissions, roles));
      }
    });

    await waitWindow(settings);
    progress('per-user pattern: no-change refresh');
    client = benchClient(emulator, settings);
    const noChange = await measureScenario(emulator, client, settings, async () => {
      for (const id of managedIds) await client.getUser(id);
    });
    return { onboarding, change, noChange };
  } finally {
    await emulator.stop();
  }
}
