import * as ts from 'typescript';
import * as vm from 'vm';
import { AccessLevel, CollaboratorKind, Environment, Region, WorkspaceRole } from '../../model/enums';
import { normalizePermissions } from '../../model/canonical';
import type { DesiredPermission } from '../../model/desired-state';
import { ResourceType } from '../../model/enums';
import type { ImportedDefinition } from '../../importer/build-definition';
import type { LiveUserSnapshot, WorkspaceSnapshot } from '../../importer/live-snapshot';
import { withAccessModel } from '../../importer/guardrail-report';
import type { AccessDefinition } from '../../stacks/access-definition';

export const NOW = new Date('2026-11-27T12:00:00Z');

export const wsPermission = (workspaceId: string, roleName: string, labels: { key: string; value: string }[] = []): DesiredPermission => ({
  roleName,
  resources: [{ type: ResourceType.WORKSPACE, id: workspaceId, labels }],
});

export function snapshot(environment: Environment, id: string, parts: Partial<WorkspaceSnapshot> = {}): WorkspaceSnapshot {
  return {
    environment,
    tokenEnvVar: `SEGMENT_${environment.toUpperCase()}_TOKEN`,
    workspace: { id, slug: `acme-${environment}`, name: `Acme ${environment}` },
    users: [],
    invites: [],
    groups: [],
    sources: [{ id: `${id}_web`, slug: 'web', name: 'web', labels: [{ key: 'environment', value: environment }] }],
    warehouses: [],
    auditTrailNote: null,
    declared: {},
    ...parts,
  };
}

export function user(email: string, permissions: DesiredPermission[], name = email.split('@')[0]): LiveUserSnapshot {
  return { email, name, permissions: normalizePermissions(permissions) };
}

/**
 * The definition, built into stacks, declares exactly the live permissions of everyone it declares,
 * in every workspace, and leaves out exactly the ones the import says it left out.
 */
export function expectReproduces(imported: ImportedDefinition): void {
  withAccessModel(imported.definition, NOW, (model) => {
    for (const s of imported.snapshots) {
      const ws = model.workspaces.find((w) => w.desired.workspace.id === s.workspace.id)!;
      expect(ws).toBeDefined();
      const declared = new Map(ws.desired.collaborators.map((c) => [c.email, c.permissions]));
      const left = new Set(imported.notImported.filter((n) => n.environment === s.environment).map((n) => n.email));
      for (const u of s.users) {
        if (left.has(u.email)) expect(declared.has(u.email)).toBe(false);
        else expect({ email: u.email, permissions: declared.get(u.email) }).toEqual({ email: u.email, permissions: normalizePermissions(u.permissions) });
      }
      expect([...declared.keys()].sort()).toEqual(s.users.filter((u) => !left.has(u.email)).map((u) => u.email).sort());
      const groups = new Map(ws.desired.groupGrants.map((g) => [g.groupName, g.permissions]));
      for (const g of s.groups) {
        if (g.permissions.length === 0 || left.has(`group "${g.name}"`)) expect(groups.has(g.name)).toBe(false);
        else expect({ group: g.name, permissions: groups.get(g.name) }).toEqual({ group: g.name, permissions: normalizePermissions(g.permissions) });
      }
    }
  });
}

/**
 * Compiles the generated module (syntax only) and runs it in a fresh context where `segment-access`
 * provides only the enums: what it exports, and what it did besides.
 */
export function evaluateModule(text: string): { access: AccessDefinition; exports: Record<string, unknown>; diagnostics: readonly ts.Diagnostic[]; sandbox: Record<string, unknown> } {
  const out = ts.transpileModule(text, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
  const exports: Record<string, unknown> = {};
  const sandbox: Record<string, unknown> = {
    exports,
    module: { exports },
    require: (name: string) => {
      if (name !== 'segment-access') throw new Error(`the generated module required "${name}"`);
      return { AccessLevel, CollaboratorKind, Environment, Region, WorkspaceRole };
    },
  };
  vm.runInNewContext(out.outputText, sandbox, { timeout: 1000 });
  return { access: exports.ACCESS as AccessDefinition, exports, diagnostics: out.diagnostics ?? [], sandbox };
}
