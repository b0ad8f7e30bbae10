import { readFileSync } from 'fs';
import { join } from 'path';
import { SegmentApiClient } from '../../api/client';
import { E2E_OTHER_TOKEN, E2E_TOKEN, E2E_WS, e2eSeed, E2EWorld, OWNER, UNMANAGED } from '../support/e2e';
import { WorkspaceRole } from '../../model/enums';
import { collaboratorAccess, e2eDefinition } from '../support/e2e-definitions';
import { runCommand } from '../support/run-command';
import { DeployError } from '../support/terraform';
import { deployedBy01 } from '../support/version-01';

// Every command and every output quoted in docs/record-of-managed-users.md, run or compared with real
// output here, so the page cannot go stale. Blocks are found by their `<!-- checked: name -->` marker.

const DOC = readFileSync(join(__dirname, '..', '..', 'docs', 'record-of-managed-users.md'), 'utf8');
const RETAIN = { retainEmails: [OWNER, UNMANAGED] };

function block(name: string): string[] {
  const match = new RegExp(`<!-- checked: ${name} -->\\n\`\`\`\\w+\\n([\\s\\S]*?)\\n\`\`\``).exec(DOC);
  if (!match) throw new Error(`docs/record-of-managed-users.md has no block marked "checked: ${name}"`);
  return match[1].split('\n');
}

/** Runs a block's lines in bash, one by one, reporting each exit code after a marker line. */
async function runBlock(lines: string[], world: E2EWorld, extra: string[] = []): Promise<{ codes: number[]; output: string }> {
  const script = [...lines.map((l) => `${l.replace(/\s+#.*$/, '')}; echo "exit=$?"`), ...extra].join('\n');
  const result = await runCommand('bash', ['-c', script], world.env, world.dir);
  return { codes: [...result.stdout.matchAll(/^exit=(\d+)$/gm)].map((m) => Number(m[1])), output: result.stdout + result.stderr };
}

/** A quoted output line as a pattern: `<time>` stands for a timestamp. */
const pattern = (line: string) => new RegExp(line.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/<time>/g, '\\S+'));

describe('docs/record-of-managed-users.md', () => {
  let world: E2EWorld;
  afterEach(async () => world.stop());

  test('setting up the key: the one line leaves a valid key in the variable', async () => {
    world = await E2EWorld.start();
    const { codes, output } = await runBlock(block('setup'), world, ['printf "key=%s\\n" "$SEGMENT_ACCESS_RECORD_KEY"']);
    expect(codes).toEqual([0]);
    expect(output).toMatch(/^key=sark_[A-Za-z0-9_-]{43}$/m);
    // The README's one-line set-up is this same line.
    expect(readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8')).toContain(`\`\`\`bash\n${block('setup').join('\n')}\n\`\`\``);
  });

  test('rotation: plan exits 2, reconcile re-signs, plan exits 0, with the previous key then unset', async () => {
    world = await E2EWorld.start();
    world.synth(e2eDefinition([collaboratorAccess('Ana')], RETAIN));
    await world.deploy();
    const { codes } = await runBlock(block('rotation'), world);
    expect(codes).toEqual([0, 0, 2, 0, 0, 0]);
  });

  test('upgrading: the quoted line is what the upgrade deploy prints', async () => {
    world = await E2EWorld.start(e2eSeed({ groups: [{ name: 'Analysts', members: [UNMANAGED] }] }));
    world.synth(
      e2eDefinition([collaboratorAccess('Ana'), collaboratorAccess('Bo', WorkspaceRole.READ_ONLY)], RETAIN, [
        { id: 'Analysts', groupName: 'Analysts', grant: { role: WorkspaceRole.READ_ONLY, ticket: 'ACCESS-56', requestedBy: 'data-lead@acme.example', justification: 'Analysts read everything in the workspace.' } },
      ]),
    );
    await deployedBy01(world.emulator, E2E_TOKEN, JSON.parse(readFileSync(join(world.stackDir, `segment-access.${E2E_WS}.json`), 'utf8')));
    await world.deploy();
    for (const line of block('upgrade')) expect(world.logs.join('\n')).toMatch(pattern(line));
  });

  test('neighbours: the release command drops the person from this app\'s record, access unchanged', async () => {
    world = await E2EWorld.start();
    world.synth(e2eDefinition([collaboratorAccess('Shared')], RETAIN));
    await world.deploy();
    const other = new SegmentApiClient({ token: E2E_OTHER_TOKEN, baseUrl: world.emulator.url });
    const theirs = await other.createGroup(`segment-access:web-team:members:${'0'.repeat(20)}`);
    await other.addGroupMembers(theirs.id, ['shared@agency.example']);
    world.synth(e2eDefinition([], RETAIN));
    await expect(world.deploy()).rejects.toBeInstanceOf(DeployError);
    const { codes, output } = await runBlock(block('disown'), world);
    expect(codes).toEqual([0]);
    expect(output).toContain('Dropping from app "default"\'s record (access unchanged):\n  - shared@agency.example from record group segment-access:default:invited:');
    expect(world.invites().map((i) => i.email)).toContain('shared@agency.example');
  });

  test('integrity checks: the quoted "Trusted" line is what plan prints', async () => {
    world = await E2EWorld.start();
    world.synth(e2eDefinition([collaboratorAccess('Ana')], RETAIN));
    await world.deploy();
    await new SegmentApiClient({ token: E2E_OTHER_TOKEN, baseUrl: world.emulator.url }).createGroup('segment-access:default:members');
    const plan = await runCommand('segment-access', ['plan', '--stack', 'prod'], world.env, world.dir);
    for (const line of block('trusted')) expect(plan.stdout).toMatch(pattern(line));
  });
});
