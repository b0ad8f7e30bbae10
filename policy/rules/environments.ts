import { activeGrants, GuardrailRule, RuleLevel, workspaceLabel } from '../rule';

export const stackMatchesWorkspace: GuardrailRule = {
  id: 'SA-ENV-001',
  title: "A stack deploys only its own environment's workspace",
  level: RuleLevel.ERROR,
  suppressible: false,
  why: 'Checklist: "Confirm the workspace name and ID to avoid inviting to the wrong environment".',
  check: (model) =>
    model.workspaces
      .filter((ws) => ws.stackEnvironment !== null && ws.stackEnvironment !== ws.desired.workspace.environment)
      .map((ws) => ({
        path: ws.path,
        workspaceId: ws.desired.workspace.id,
        message: `Stack "${ws.stack}" deploys environment ${ws.stackEnvironment}, but ${workspaceLabel(ws)} is declared as ${ws.desired.workspace.environment}.`,
        fix: 'Use the workspace of this environment in this stack, or correct the workspace\'s environment.',
      })),
};

export const workspaceInOneStack: GuardrailRule = {
  id: 'SA-ENV-002',
  title: 'A workspace is managed by one stack only',
  level: RuleLevel.ERROR,
  suppressible: false,
  why: 'Two stacks reconciling one workspace undo each other\'s changes and remove each other\'s collaborators.',
  check: (model) =>
    model.workspaces.flatMap((ws) => {
      const others = model.workspaces.filter((o) => o !== ws && o.desired.workspace.id === ws.desired.workspace.id);
      if (!others.length) return [];
      return [{
        path: ws.path,
        workspaceId: ws.desired.workspace.id,
        message: `Workspace ${ws.desired.workspace.id} is also declared at ${others.map((o) => o.path).join(', ')}.`,
        fix: 'Declare each workspace once; move its grants into that one declaration.',
      }];
    }),
};

export const consistentRoles: GuardrailRule = {
  id: 'SA-CONS-001',
  title: 'A collaborator has the same role in every environment unless overridden',
  level: RuleLevel.ERROR,
  suppressible: true,
  why: 'Checklist: "Consider consistent role assignments across workspaces unless specifically different requirements exist".',
  check: (model) => {
    const byEmail = new Map<string, { ws: (typeof model.workspaces)[number]; role: string; path: string; override: string | null }[]>();
    for (const ws of model.workspaces) {
      for (const g of activeGrants(ws)) byEmail.set(g.email, [...(byEmail.get(g.email) ?? []), { ws, role: g.role, path: g.path, override: g.environmentOverride }]);
    }
    return [...byEmail].flatMap(([email, grants]) => {
      const baseline = grants.filter((g) => g.override === null);
      if (new Set(baseline.map((g) => g.role)).size <= 1) return [];
      const summary = baseline.map((g) => `${g.role} in ${workspaceLabel(g.ws)}`).join(', ');
      return baseline.map((g) => ({
        path: g.path,
        workspaceId: g.ws.desired.workspace.id,
        subject: email,
        message: `${email} has different roles across environments without an explicit override: ${summary}.`,
        fix: 'Use one role everywhere, or make the difference explicit (environmentOverride on the grant, or an `environments` override with a reason in the access definition).',
      }));
    });
  },
};
