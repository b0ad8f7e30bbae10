import { RunningEmulator } from '../../emulator';
import { ACME, ApiClient, apiClient, firstError, roleId, startTestEmulator } from './support';

/** Workspace-level labels (SDK api/labelsApi.ts; segment-docs iam/labels.md). */
describe('labels', () => {
  let emulator: RunningEmulator;
  let api: ApiClient;
  beforeEach(async () => {
    emulator = await startTestEmulator();
    api = apiClient(emulator);
  });
  afterEach(() => emulator.stop());

  const names = async () => ((await api.get('/labels')).body.data.labels as Array<{ key: string; value: string }>).map((l) => `${l.key}:${l.value}`).sort();

  it('lists, creates (201) and deletes labels', async () => {
    expect(await names()).toEqual(['environment:prod', 'environment:staging', 'team:growth']);
    const created = await api.post('/labels', { label: { key: 'region', value: 'apac', description: 'Asia-Pacific' } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ data: { label: { key: 'region', value: 'apac', description: 'Asia-Pacific' } } });
    expect(await names()).toContain('region:apac');
    expect((await api.delete('/labels/region/apac')).body).toEqual({ data: { status: 'SUCCESS' } });
    expect(await names()).not.toContain('region:apac');
    expect((await api.delete('/labels/region/apac')).status).toBe(404);
  });

  it.each([
    ['a key starting with a digit', { key: '1env', value: 'prod' }, 'label.key'],
    ['a value with a space', { key: 'env', value: 'pro d' }, 'label.value'],
    ['an empty value', { key: 'env', value: '' }, 'label.value'],
  ])('rejects %s with 422 naming the field', async (_case, label, field) => {
    const reply = await api.post('/labels', { label });
    expect(reply.status).toBe(422);
    expect(firstError(reply)).toMatchObject({ type: 'input-validation', field });
  });

  it('answers 409 to a duplicate, and to deleting a label in use on a source or in a permission', async () => {
    expect((await api.post('/labels', { label: { key: 'environment', value: 'prod' } })).status).toBe(409);
    const onSource = await api.delete('/labels/environment/prod');
    expect(onSource.status).toBe(409);
    expect(firstError(onSource).message).toMatch(/in use by resource "Web"/);

    await api.post('/labels', { label: { key: 'tier', value: 'gold' } });
    await api.post('/invites', { invites: [{ email: 'lab@acme.com', permissions: [{ roleId: roleId('Source Admin'), labels: [{ key: 'tier', value: 'gold' }] }] }] });
    const inPermission = await api.delete('/labels/tier/gold');
    expect(inPermission.status).toBe(409);
    expect(firstError(inPermission).message).toMatch(/a permission of lab@acme.com/);
  });

  it('takes labels on a permission only for labels that exist, on label-scoped roles, workspace-wide', async () => {
    const invite = (permission: Record<string, unknown>) => api.post('/invites', { invites: [{ email: 'x@acme.com', permissions: [permission] }] });
    // InvitePermissionV1: resources optional, labels on the permission.
    expect((await invite({ roleId: roleId('Source Read-only'), labels: [{ key: 'environment', value: 'prod' }] })).status).toBe(201);
    expect(emulator.state.listInvites(ACME).find((i) => i.email === 'x@acme.com')!.permissions[0].resources).toEqual([
      { id: ACME, type: 'WORKSPACE', labels: [{ key: 'environment', value: 'prod' }] },
    ]);
    await api.delete('/invites?emails.0=x%40acme.com');
    const unknown = await invite({ roleId: roleId('Source Read-only'), labels: [{ key: 'environment', value: 'qa' }] });
    expect(firstError(unknown)).toMatchObject({ type: 'input-validation', message: expect.stringMatching(/"environment:qa" does not exist/) });
    const onSource = await invite({ roleId: roleId('Source Read-only'), resources: [{ id: 'src-web', type: 'SOURCE' }], labels: [{ key: 'environment', value: 'prod' }] });
    expect(firstError(onSource).message).toMatch(/put them on the WORKSPACE resource/);
    const engageUser = await invite({ roleId: roleId('Unify Read-only, Engage User'), labels: [{ key: 'team', value: 'growth' }] });
    expect(engageUser.status).toBe(201);
  });
});
