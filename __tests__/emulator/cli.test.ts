import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEmulatorCommand } from '../../emulator';
import { ACME, ACME_TOKEN, testSeed } from './support';

describe('segment-access emulator (CLI)', () => {
  let stdout: string[];
  let stderr: string[];
  beforeEach(() => {
    stdout = [];
    stderr = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => (stdout.push(String(chunk)), true));
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => (stderr.push(String(chunk)), true));
  });
  afterEach(() => jest.restoreAllMocks());

  const seedFile = () => {
    const path = join(mkdtempSync(join(tmpdir(), 'emulator-cli-')), 'seed.json');
    writeFileSync(path, JSON.stringify(testSeed()));
    return path;
  };

  it('prints its URL, serves the seed with the given rate limits, and stops on SIGTERM', async () => {
    const exit = runEmulatorCommand(['--seed', seedFile(), '--port', '0', '--writes-per-window', '1', '--reads-per-window', '2', '--window-ms', '60000', '--lenient']);
    let line: string | undefined;
    for (let attempt = 0; attempt < 100 && !line; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      line = stdout.find((text) => text.startsWith('Segment API emulator listening on'));
    }
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)\n$/.exec(line ?? '')?.[1];
    expect(url).toBeDefined();

    const headers = { Authorization: `Bearer ${ACME_TOKEN}` };
    const workspace = (await (await fetch(`${url}/`, { headers })).json()) as any;
    expect(workspace.data.workspace.id).toBe(ACME);
    expect((await fetch(`${url}/`, { headers })).status).toBe(200);
    expect((await fetch(`${url}/`, { headers })).status).toBe(429);
    // --lenient: a body without Content-Type and with an unknown field is accepted.
    const write = (name: string) => fetch(`${url}/groups`, { method: 'POST', headers, body: JSON.stringify({ name, colour: 'red' }) });
    expect((await write('One')).status).toBe(200);
    expect((await write('Two')).status).toBe(429);

    process.emit('SIGTERM', 'SIGTERM');
    await expect(exit).resolves.toBe(0);
    await expect(fetch(`${url}/`, { headers })).rejects.toThrow();
  });

  it.each([
    [[], /Missing --seed/],
    [['--seed', 'x.json', '--port', 'eighty'], /--port must be an integer/],
    [['--seed', 'x.json', '--host', '0.0.0.0'], /--host must be a loopback address/],
    [['--seed', 'x.json', '--window-ms', '0'], /--window-ms must be an integer from 1/],
    [['--seed', 'x.json', '--reads-per-window', '0.5'], /--reads-per-window must be an integer from 1/],
    [['--seed', 'x.json', '--bogus'], /Unknown option '--bogus'/],
    [['--seed', 'x.json', '--profile', 'strange'], /--profile must be one of defaults, case-preserving, in-app-trail, sso-workspace; got "strange"/],
  ])('exits 2 with usage for %j', async (argv, message) => {
    await expect(runEmulatorCommand(argv)).resolves.toBe(2);
    expect(stderr.join('')).toMatch(message);
    expect(stderr.join('')).toContain('Usage: segment-access emulator');
  });

  it('--profile runs with that profile\'s undocumented behaviours (here: emails keep their case)', async () => {
    const exit = runEmulatorCommand(['--seed', seedFile(), '--port', '0', '--profile', 'case-preserving']);
    let url: string | undefined;
    for (let attempt = 0; attempt < 100 && !url; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      url = /listening on (http:\/\/127\.0\.0\.1:\d+)\n$/.exec(stdout.find((text) => text.startsWith('Segment API emulator listening on')) ?? '')?.[1];
    }
    const headers = { Authorization: `Bearer ${ACME_TOKEN}`, 'Content-Type': 'application/json' };
    const invited = (await (await fetch(`${url}/invites`, { method: 'POST', headers, body: JSON.stringify({ invites: [{ email: 'Ana.Lee@Acme.com' }] }) })).json()) as any;
    expect(invited.data.emails).toEqual(['Ana.Lee@Acme.com']);
    process.emit('SIGTERM', 'SIGTERM');
    await expect(exit).resolves.toBe(0);
  });

  it('exits 1 when the seed cannot be used', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'emulator-cli-')), 'bad.json');
    writeFileSync(path, JSON.stringify({ workspaces: [] }));
    await expect(runEmulatorCommand(['--seed', path])).resolves.toBe(1);
    expect(stderr.join('')).toMatch(/Cannot start the emulator: Invalid seed file[\s\S]*at least one workspace/);
  });

  it('prints help and exits 0', async () => {
    await expect(runEmulatorCommand(['--help'])).resolves.toBe(0);
    expect(stdout.join('')).toContain('--state-file <file>');
  });
});
