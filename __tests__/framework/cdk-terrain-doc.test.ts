// docs/cdk-terrain.md says what CI does: its examples are the consumer repo's files, its install line and
// versions table are this repo's package.json, the consumer's packages and the CI script's Node.
import { readFileSync } from 'fs';
import { join, resolve } from 'path';
import { spawnSync } from 'child_process';
import { CdkFramework } from '../../framework';
import { MINIMUM_TERRAFORM } from '../../cli/terraform-runtime';
import { docExamples, docText } from '../support/doc-examples';
import { CDK_TERRAIN_DOC, CONSUMER_PACKAGES, consumerMainTs, consumerTsconfig } from '../consumers/support/consumer-project';

const REPO = resolve(__dirname, '..', '..');
const examples = docExamples(CDK_TERRAIN_DOC);
const doc = docText(CDK_TERRAIN_DOC);

/** `| name | a | b |` rows of the doc's versions table. */
function tableRow(name: string): string[] {
  const line = doc.split('\n').find((l) => l.startsWith(`| ${name} |`));
  if (!line) throw new Error(`${CDK_TERRAIN_DOC} has no versions-table row for ${name}`);
  return line.split('|').slice(2, -1).map((c) => c.trim());
}

describe('docs/cdk-terrain.md', () => {
  test('the install line installs what the CDK Terrain consumer repo of CI installs', () => {
    const lines = (examples.get('install') ?? '').trim().split('\n');
    const packages = (line: string | undefined) => Object.fromEntries((line ?? '').split(/\s+/).filter((t) => t.includes('@')).map((t) => [t.slice(0, t.lastIndexOf('@')), t.slice(t.lastIndexOf('@') + 1)]));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^npm install segment-access /);
    expect(packages(lines[0])).toEqual(CONSUMER_PACKAGES[CdkFramework.CDKTN].dependencies);
    expect(lines[1]).toMatch(/^npm install --save-dev /);
    expect(packages(lines[1])).toEqual(CONSUMER_PACKAGES[CdkFramework.CDKTN].devDependencies);
  });

  test('main.ts and the tsconfig paths line are the files the consumer repos are made of', () => {
    expect(consumerMainTs(CdkFramework.CDKTN)).toBe(examples.get('main.ts'));
    expect(consumerMainTs(CdkFramework.CDKTF)).toBe(examples.get('main.ts')!.replace(/(import \{ App \} from ')cdktn(';)/, '$1cdktf$2'));
    expect(consumerTsconfig(CdkFramework.CDKTN).compilerOptions).toMatchObject({ paths: { cdktf: ['./node_modules/cdktn'] } });
    expect(consumerTsconfig(CdkFramework.CDKTF).compilerOptions).not.toHaveProperty('paths');
  });

  test('the versions table is package.json\'s peer ranges, the consumers\' versions, the CI Node and the terraform CI runs', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
    expect(tableRow('cdktf')).toEqual([pkg.peerDependencies.cdktf, `${CONSUMER_PACKAGES.cdktf.dependencies.cdktf} on Node 20`]);
    const ciNode = /node22="\$\{SEGMENT_ACCESS_CI_NODE22:-([\d.]+)\}"/.exec(readFileSync(join(REPO, 'scripts', 'ci', 'cdktn-line.sh'), 'utf8'))?.[1];
    expect(tableRow('cdktn')).toEqual([pkg.peerDependencies.cdktn, `${CONSUMER_PACKAGES.cdktn.dependencies.cdktn} on Node ${ciNode}`]);
    expect(tableRow('constructs')[0]).toMatch(new RegExp(`^\\${pkg.peerDependencies.constructs} `));
    expect(tableRow('constructs')[1]).toBe(pkg.devDependencies.constructs);
    expect(tableRow('Node.js')[1]).toBe(`20 and ${ciNode}`);
    expect(tableRow('Terraform')[0]).toMatch(new RegExp(`^>= ${MINIMUM_TERRAFORM.replace(/\.0$/, '').replace('.', '\\.')} `));
    const terraform = spawnSync('terraform', ['version', '-json'], { encoding: 'utf8', env: { ...process.env, TF_CLI_CONFIG_FILE: '' } });
    expect(tableRow('Terraform')[1]).toBe(JSON.parse(terraform.stdout).terraform_version);
    // Never a claim: OpenTofu is not installed on these machines, so nothing here has run it.
    expect(tableRow('OpenTofu')[1]).toMatch(/^\*\*not tested\*\*/);
  });
});
