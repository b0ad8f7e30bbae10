import type { IConstruct } from 'constructs';
import { TerraformStack } from '../framework';
import type { CollaboratorKind, Environment, WorkspaceRole } from '../model/enums';
import type { DesiredState, GrantBody } from '../model/desired-state';
import type { ControlAcknowledgement } from '../model/control-acknowledgements';
import type { WorkspaceCatalog } from '../model/resolve-grant';
import type { OverriddenGrant, SeparationOfDuties } from '../model/separation-of-duties';
import { SegmentWorkspace } from './segment-workspace';
import { synthNow } from './synth-clock';
import { accessMembers, KeyedRevisionCache } from './access-revision';

const MODELS = new KeyedRevisionCache<IConstruct, AccessModel>();

/** A stack that declares which environment it deploys (SegmentAccessStack does). */
export interface EnvironmentStack {
  readonly environment: Environment;
}

function stackEnvironment(stack: TerraformStack): Environment | undefined {
  return (stack as Partial<EnvironmentStack>).environment;
}

/** One grant as the guardrails and records see it: plain data, expired grants included. */
export interface GrantModel extends GrantBody {
  readonly email: string;
  readonly displayName: string;
  readonly organization: string | null;
  readonly kind: CollaboratorKind;
  readonly expiresOn: string | null;
  readonly expired: boolean;
  readonly environmentOverride: string | null;
  /** The shared grant an environment override changes (SA-SOD-003), or null. */
  readonly overrideOf: OverriddenGrant | null;
}

export interface GroupGrantModel extends GrantBody {
  readonly groupName: string;
}

export interface WorkspaceModel {
  readonly path: string;
  readonly stack: string;
  readonly stackEnvironment: Environment | null;
  /** What the executor will enforce (expired grants left out). */
  readonly desired: DesiredState;
  readonly grants: readonly GrantModel[];
  readonly groupGrants: readonly GroupGrantModel[];
  readonly allowedEmailDomains: readonly string[] | null;
  /** Source and warehouse names by id, from the workspace's catalog. */
  readonly resourceNames: ReadonlyMap<string, string>;
  /** The sources (with their labels) and warehouses the workspace declares. */
  readonly catalog: WorkspaceCatalog;
  readonly description: (role: WorkspaceRole) => string;
  /** Control settings the desired state does not carry, for the control rules. */
  readonly controls: {
    readonly executor: readonly string[];
    readonly bundledExecutor: boolean;
    readonly acknowledgements: readonly ControlAcknowledgement[];
  };
  /** How this workspace applies the separation-of-duties rules (privileged roles, waivers). */
  readonly separationOfDuties: Required<SeparationOfDuties>;
}

/** Every managed workspace in the app, as plain data: the one input of the guardrails and the records. */
export interface AccessModel {
  readonly now: Date;
  readonly workspaces: readonly WorkspaceModel[];
}

export function buildAccessModel(root: IConstruct, now: Date = synthNow(root)): AccessModel {
  return MODELS.get(root, String(now.getTime()), () => computeAccessModel(root, now));
}

function computeAccessModel(root: IConstruct, now: Date): AccessModel {
  const workspaces = accessMembers(root)
    .filter(SegmentWorkspace.isSegmentWorkspace)
    .map((ws): WorkspaceModel => {
      const stack = TerraformStack.of(ws);
      return {
        path: ws.node.path,
        stack: stack.node.id,
        stackEnvironment: stackEnvironment(stack) ?? null,
        desired: ws.desiredState(now),
        grants: ws.grants.map((g) => {
          const d = g.toDesiredCollaborator();
          return { ...d, expired: g.isExpired(now), environmentOverride: g.environmentOverride ?? null, overrideOf: g.overrideOf ?? null };
        }),
        groupGrants: ws.groupGrants.map((g) => g.toDesiredGroupGrant()),
        allowedEmailDomains: ws.allowedEmailDomains ?? null,
        resourceNames: ws.resourceNames,
        catalog: ws.catalog,
        description: (role) => ws.rolePreset(role).description,
        controls: { executor: ws.executor.argv, bundledExecutor: ws.executor.usesBundledFile, acknowledgements: ws.acknowledgements },
        separationOfDuties: ws.separationOfDuties,
      };
    });
  return { now, workspaces };
}
