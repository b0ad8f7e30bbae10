import fc from 'fast-check';
import * as ts from 'typescript';
import { join, resolve } from 'path';
import { Environment, ResourceType } from '../../model/enums';
import type { DesiredPermission, PermissionResource } from '../../model/desired-state';
import { DEFAULT_ROLE_PRESETS, SegmentRoleName } from '../../model/role-presets';
import { resolvePermissions } from '../../model/resolve-grant';
import { SEGMENT_ROLE_SCOPES } from '../../model/grantable';
import { SegmentAccessValidationError } from '../../model/validation';
import { buildImportedDefinition } from '../../importer/build-definition';
import { renderDefinitionModule } from '../../importer/render-module';
import { commentText, stringLiteral } from '../../importer/ts-literals';
import type { WorkspaceSnapshot } from '../../importer/live-snapshot';
import { evaluateModule, expectReproduces, NOW } from './support';

/** Strings built to break out of a literal, a comment, a line or a template, mixed with anything at all. */
const HOSTILE_PIECES = ["'", '"', '`', '\\', '${process.exit(1)}', '*/', '/*', '//', '\n', '\r', '\u2028', '\u2029', '\u202e', '\u2066', '\u200b', '\ufeff', '\ud800', '\udfff', '\u0000', '\u001b[31m', "'); process.exit(1); ('", '__proto__', 'constructor', ' ', 'é', '😀'];
const hostile = (minLength = 0) =>
  fc
    .array(fc.oneof(fc.constantFrom(...HOSTILE_PIECES), fc.string({ unit: 'binary', maxLength: 6 })), { minLength: minLength ? 1 : 0, maxLength: 5 })
    .map((parts) => parts.join(''))
    .filter((s) => s.length >= minLength);
/** Live data as Segment serves it: JSON over UTF-8 cannot carry half a surrogate pair (synth rejects such text). */
const liveText = (minLength = 0) => hostile(minLength).filter((s) => (s as unknown as { isWellFormed(): boolean }).isWellFormed());

// What Segment and zod both accept as an email: the local part still holds quotes, plus signs and dots.
const email = fc
  .tuple(fc.stringMatching(/^[a-z0-9_'+-]{1,8}(\.[a-z0-9_'+-]{1,5})?$/), fc.constantFrom('acme.example', 'agency.example', 'gmail.com'))
  .filter(([local]) => !local.endsWith('.') && !local.includes('..') && /[a-z0-9_+-]$/.test(local))
  .map(([local, domain]) => `${local}@${domain}`);

const ENVIRONMENTS = [Environment.PROD, Environment.STAGING, Environment.DEV];
const ROLE_NAMES = [...Object.values(SegmentRoleName), 'Unify Read-only, Engage User'];

interface Universe {
  readonly workspaceId: string;
  readonly sourceIds: readonly string[];
  readonly labels: readonly { key: string; value: string }[];
}

/** A permission set: a preset's (by its own rules) or anything from the workspace's resources. */
function permissionsArb(u: Universe, roleName: fc.Arbitrary<string>): fc.Arbitrary<DesiredPermission[]> {
  const catalog = { workspaceId: u.workspaceId, sources: u.sourceIds.map((id) => ({ id, name: id, labels: {} })), warehouses: [] };
  const preset = fc.constantFrom(...Object.values(DEFAULT_ROLE_PRESETS).filter((p) => p.workspaceRoles.length)).map((p) => resolvePermissions(p, [], catalog));
  const resource: fc.Arbitrary<PermissionResource> = fc.oneof(
    fc.constant<PermissionResource>({ type: ResourceType.WORKSPACE, id: u.workspaceId, labels: [] }),
    ...(u.labels.length ? [fc.subarray([...u.labels], { minLength: 1, maxLength: Math.min(2, u.labels.length) }).map((labels): PermissionResource => ({ type: ResourceType.WORKSPACE, id: u.workspaceId, labels }))] : []),
    ...(u.sourceIds.length ? [fc.constantFrom(...u.sourceIds).map((id): PermissionResource => ({ type: ResourceType.SOURCE, id, labels: [] }))] : []),
    fc.constant<PermissionResource>({ type: ResourceType.FUNCTION, id: 'fn_1', labels: [] }),
  );
  // Live permissions are ones Segment grants: a known role only on the resources it takes (model/grantable.ts).
  const grantable = (role: string, r: PermissionResource) => {
    const scope = Object.prototype.hasOwnProperty.call(SEGMENT_ROLE_SCOPES, role) ? SEGMENT_ROLE_SCOPES[role] : undefined;
    return !scope || (scope.on.includes(r.type) && (r.labels.length === 0 || scope.labels));
  };
  const any = fc
    .array(fc.record({ roleName, resources: fc.array(resource, { minLength: 1, maxLength: 2 }) }), { maxLength: 4 })
    .map((ps) => ps.map((p) => ({ ...p, resources: p.resources.filter((r) => grantable(p.roleName, r)) })).filter((p) => p.resources.length > 0));
  return fc.oneof(preset, any);
}

const snapshotsArb: fc.Arbitrary<WorkspaceSnapshot[]> = fc
  .tuple(fc.subarray(ENVIRONMENTS, { minLength: 1 }), fc.uniqueArray(email, { minLength: 1, maxLength: 6 }), liveText(1))
  .chain(([envs, emails, hostileRole]) =>
    fc.tuple(
      ...envs.map((environment, w) => {
        const workspaceId = `ws${w}${environment}`;
        const sourceIds = [`${workspaceId}s0`, `${workspaceId}s1`];
        return fc
          .record({
            name: liveText(1),
            sourceNames: fc.tuple(fc.option(liveText(), { nil: null }), fc.option(liveText(), { nil: null })),
            slugs: fc.tuple(liveText(), liveText()),
            labels: fc.uniqueArray(fc.record({ key: liveText(1), value: liveText(1) }), { maxLength: 3, selector: (l) => l.key }),
          })
          .chain((ws) => {
            const universe: Universe = { workspaceId, sourceIds, labels: ws.labels };
            const roleName = fc.oneof(fc.constantFrom(...ROLE_NAMES), fc.constant(hostileRole));
            return fc.record({
              ws: fc.constant(ws),
              users: fc.tuple(...emails.map(() => fc.option(fc.record({ name: liveText(), permissions: permissionsArb(universe, roleName) }), { nil: null }))),
              groups: fc.uniqueArray(fc.record({ name: liveText(1), permissions: permissionsArb(universe, roleName) }), { maxLength: 2, selector: (g) => g.name }),
              invites: fc.subarray(emails, { maxLength: Math.min(2, emails.length) }),
            });
          })
          .map(({ ws, users, groups, invites }): WorkspaceSnapshot => {
            const members = emails.flatMap((e, i) => (users[i] ? [{ email: e, name: users[i]!.name, permissions: users[i]!.permissions }] : []));
            return {
              environment,
              tokenEnvVar: `SEGMENT_${environment.toUpperCase()}_TOKEN`,
              workspace: { id: workspaceId, slug: `acme-${environment}`, name: ws.name },
              users: members,
              invites: invites.filter((e) => !members.some((m) => m.email === e)).map((e) => ({ email: e, invitedOn: null, ageSource: null })),
              groups: groups.map((g) => ({ name: g.name, memberCount: 0, memberEmails: [], permissions: g.permissions })),
              sources: sourceIds.map((id, i) => ({ id, slug: ws.slugs[i], name: ws.sourceNames[i], labels: i === 0 ? ws.labels : [] })),
              warehouses: [],
              auditTrailNote: null,
              declared: {},
            };
          });
      }),
    ),
  );

/** Nothing that ends a line, a literal or a comment early, or reorders text, is left raw in the file. */
const RAW_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\p{Cf}]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/u;

describe('the generated module: any live name or email is a literal, never code', () => {
  test('string literals and comment text hold exactly the value, whatever it is', () => {
    fc.assert(
      fc.property(fc.oneof(hostile(), fc.string({ unit: 'binary' })), (s) => {
        const literal = stringLiteral(s);
        expect(RAW_UNSAFE.test(literal)).toBe(false);
        expect(evaluateModule(`export const ACCESS = ${literal};`).access).toBe(s);
        const comment = commentText(s);
        expect(RAW_UNSAFE.test(comment) || /\n/.test(comment)).toBe(false);
        // Inside a line comment it cannot end the comment: the module still exports only what follows.
        expect(evaluateModule(`// ${comment}\nexport const ACCESS = 1;`).exports).toEqual({ ACCESS: 1 });
      }),
      { numRuns: 300 },
    );
  });

  test('arbitrary live workspaces: the file parses, evaluates to exactly the imported definition, and reproduces live access', () => {
    let constructed = 0;
    let runs = 0;
    fc.assert(
      fc.property(snapshotsArb, fc.option(hostile(1), { nil: undefined }), (snapshots, approvalReference) => {
        runs++;
        const imported = buildImportedDefinition(snapshots, { now: NOW, approvalReference });
        const text = renderDefinitionModule(imported);
        expect(text.split('\n').filter((line) => RAW_UNSAFE.test(line))).toEqual([]);
        const { access, exports, diagnostics, sandbox } = evaluateModule(text);
        expect(diagnostics).toEqual([]);
        expect(access).toEqual(imported.definition);
        expect(Object.keys(exports).sort()).toEqual(['ACCESS', ...imported.constants.map((c) => c.name)].sort());
        expect(Object.keys(sandbox).sort()).toEqual(['exports', 'module', 'require']);
        // Top level: one import, the constants, the definition. Nothing else runs.
        const source = ts.createSourceFile('access.ts', text, ts.ScriptTarget.ES2022);
        const kind = (s: ts.Statement) => (ts.isImportDeclaration(s) ? 'import' : ts.isVariableStatement(s) ? 'const' : ts.SyntaxKind[s.kind]);
        expect(source.statements.map(kind)).toEqual(['import', ...imported.constants.map(() => 'const'), 'const']);
        try {
          expectReproduces(imported);
          constructed++;
        } catch (error) {
          // Only a validation error may stop it (then `import` exits 1 and writes nothing).
          if (!(error instanceof SegmentAccessValidationError)) throw error;
        }
      }),
      { numRuns: 120 },
    );
    // Most generated workspaces must construct, or the reproduction check above proves little.
    expect(constructed).toBeGreaterThan(runs * 0.6);
  });

  test('a hostile sample type-checks as a strict TypeScript module against the published types', () => {
    const snapshots = fc.sample(snapshotsArb, { numRuns: 1, seed: 42 })[0];
    const imported = buildImportedDefinition(
      snapshots.map((s) => ({ ...s, workspace: { ...s.workspace, name: "Acme '); process.exit(1); //\u2028${x}*/" } })),
      { now: NOW, approvalReference: "ACCESS-1'\\\u202e" },
    );
    const root = resolve(__dirname, '..', '..');
    // The published types, as `import ... from 'segment-access'` finds them once installed.
    const text = renderDefinitionModule(imported, { moduleName: join(root, 'dist', 'index') });
    const file = join(root, '__generated_access__.ts');
    const options: ts.CompilerOptions = {
      strict: true, noUnusedLocals: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10, types: ['node'],
    };
    const host = ts.createCompilerHost(options);
    const read = host.readFile.bind(host);
    host.readFile = (name) => (resolve(name) === file ? text : read(name));
    const exists = host.fileExists.bind(host);
    host.fileExists = (name) => resolve(name) === file || exists(name);
    const getSource = host.getSourceFile.bind(host);
    host.getSourceFile = (name, version, ...rest) => (resolve(name) === file ? ts.createSourceFile(name, text, version) : getSource(name, version, ...rest));
    const program = ts.createProgram([file], options, host);
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);
  }, 60_000);
});
