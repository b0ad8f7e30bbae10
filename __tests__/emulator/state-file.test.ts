import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../emulator';
import { ACME, ACME_TOKEN, apiClient, BETA_TOKEN, startTestEmulator, testSeed } from './support';

describe('state file', () => {
  it('is saved after each change (without tokens) and loaded by the next emulator', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'emulator-state-'));
    const stateFile = join(directory, 'state.json');
    const first = await startTestEmulator({ stateFile });
    try {
      const api = apiClient(first);
      await api.post('/invites', { invites: [{ email: 'persisted@acme.com' }] });
      await api.post('/groups', { name: 'Persisted group' });
      const saved = readFileSync(stateFile, 'utf8');
      expect(saved).toContain('persisted@acme.com');
      expect(saved).toContain('Persisted group');
      expect(saved).not.toContain(ACME_TOKEN);
      expect(saved).not.toContain(BETA_TOKEN);
      expect(readdirSync(directory)).toEqual(['state.json']); // no temporary file left behind
      // A failed write does not touch the file.
      await api.post('/groups', { name: 'Persisted group' });
      expect(readFileSync(stateFile, 'utf8')).toBe(saved);
    } finally {
      await first.stop();
    }

    const second = await startTestEmulator({ stateFile });
    try {
      const api = apiClient(second);
      expect((await api.get('/invites')).body.data.invites).toContain('persisted@acme.com');
      const groups = (await api.get('/groups')).body.data.userGroups.map((group: { name: string }) => group.name);
      expect(groups).toContain('Persisted group');
      second.acceptInvites(ACME, ['persisted@acme.com']);
      expect(readFileSync(stateFile, 'utf8')).toMatch(/"email": "persisted@acme.com",\s+"permissions"/);
    } finally {
      await second.stop();
    }
  });

  it('creates the file at start when it does not exist yet', async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), 'emulator-state-')), 'fresh.json');
    const emulator = await startTestEmulator({ stateFile });
    await emulator.stop();
    expect(existsSync(stateFile)).toBe(true);
    expect(JSON.parse(readFileSync(stateFile, 'utf8')).workspaces).toHaveLength(2);
  });

  it('refuses to start from a corrupt state file', async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), 'emulator-state-')), 'corrupt.json');
    writeFileSync(stateFile, '{"format": "something else"}');
    await expect(startEmulator({ seed: testSeed(), stateFile })).rejects.toThrow(/Invalid emulator state/);
  });
});
