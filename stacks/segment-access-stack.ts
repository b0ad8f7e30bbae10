import { Construct } from 'constructs';
import { LocalBackend, TerraformBackend, TerraformStack } from '../framework';
import { Environment, ResourceFlavor } from '../model/enums';
import { invalid, parseInput, SegmentAccessValidationError } from '../model/validation';
import { declaredAt } from '../model/declared-at';
import { SegmentCollaborator } from '../constructs/segment-collaborator';
import { SegmentWorkspace } from '../constructs/segment-workspace';
import { ProvisionedResource } from '../constructs/provisioned-resource';
import type { WorkspaceGrant } from '../constructs/workspace-grant';
import type { UserGroupGrant } from '../constructs/user-group-grant';
import type { GuardrailOptions } from '../policy/rule';
import { GuardrailSuppressions, Suppression } from '../policy/suppressions';
import { AccessDefinition, AccessDefinitionShape, grantFor } from './access-definition';
import { applySegmentAccessPolicy } from './apply-policy';

export interface SegmentAccessStackProps {
  /** The shared access definition every environment's stack is built from. */
  readonly definition: AccessDefinition;
  /** Which environment this stack deploys. */
  readonly environment: Environment;
  /**
   * Local state file, relative to the stack's directory (cdktf.out/stacks/<id>), so no absolute path
   * of the synth machine lands in the output. Ignored when `backend` is given.
   * @default '../../../terraform.<id>.tfstate' (the project root, as cdktf's default)
   */
  readonly localStatePath?: string;
  /**
   * The team's own state backend (S3, HCP Terraform / Terraform Cloud, any cdktf backend), created in
   * this stack, e.g. `(stack) => new S3Backend(stack, { bucket, key: 'segment-access/prod.tfstate', region })`.
   * @default - a LocalBackend at `localStatePath`
   */
  readonly backend?: (stack: TerraformStack) => TerraformBackend;
  /**
   * The Terraform resource type for workspaces that do not choose one themselves.
   * @default ResourceFlavor.TERRAFORM_DATA
   */
  readonly resourceFlavor?: ResourceFlavor;
  /**
   * The app's stable name, for a workspace that does not set its own `appId` (see SegmentWorkspaceProps.appId).
   * @default - the workspace's appId, else 'default'
   */
  readonly appId?: string;
  /** Guardrail options, or false to run no guardrails and write no records (not recommended). @default {} */
  readonly guardrails?: GuardrailOptions | false;
  /**
   * Guardrail suppressions, by collaborator or group grant id, each with a written reason: code the
   * platform team owns, never part of a requests file (a requester cannot switch off the rule that stops
   * them). Shown in the inventory with their reasons. E.g. `{ NorthwindLead: [{ ruleId: 'SA-EXP-003', reason: '...' }] }`.
   * @default {}
   */
  readonly suppressions?: Readonly<Record<string, readonly Suppression[]>>;
}

/** Runs `build`; a validation error about an entry read from a file also names where it is declared. */
function withDeclaredAt<T>(entry: object, build: () => T): T {
  try {
    return build();
  } catch (error) {
    const at = declaredAt(entry);
    if (!at || !(error instanceof SegmentAccessValidationError)) throw error;
    throw new SegmentAccessValidationError(`${error.where} (declared at ${at})`, error.problems);
  }
}

/**
 * One environment's stack: its workspace, and every collaborator and group grant the shared
 * definition gives that environment.
 */
export class SegmentAccessStack extends TerraformStack {
  public readonly environment: Environment;
  public readonly workspace: SegmentWorkspace;
  public readonly grants: readonly WorkspaceGrant[];
  public readonly groupGrants: readonly UserGroupGrant[];

  constructor(scope: Construct, id: string, props: SegmentAccessStackProps) {
    super(scope, id);
    const where = `SegmentAccessStack "${id}"`;
    parseInput(AccessDefinitionShape, props.definition, `${where} definition`, {
      'collaborators.*.environments.*.reason': 'say why this environment differs (at least 10 characters); reviewers read it in plans and reports.',
    });
    this.environment = props.environment;
    if (props.backend) props.backend(this);
    else new LocalBackend(this, { path: props.localStatePath ?? `../../../terraform.${id}.tfstate` });

    const workspaceProps = props.definition.workspaces[props.environment];
    if (!workspaceProps) {
      invalid(where, {
        field: `definition.workspaces.${props.environment}`,
        received: Object.keys(props.definition.workspaces),
        allowed: `a workspace declared for environment "${props.environment}"`,
        fix: `add workspaces.${props.environment} to the access definition, or do not build a stack for "${props.environment}".`,
      });
    }
    this.workspace = new SegmentWorkspace(this, 'Workspace', {
      resourceFlavor: props.resourceFlavor,
      ...workspaceProps,
      ...(workspaceProps.appId === undefined && props.appId !== undefined ? { appId: props.appId } : {}),
    });

    const grants: WorkspaceGrant[] = [];
    for (const entry of props.definition.collaborators) {
      const created = withDeclaredAt(entry, () => {
        const { id: collaboratorId, grant, environments, ...collaboratorProps } = entry;
        const collaborator = new SegmentCollaborator(this, collaboratorId, collaboratorProps);
        const resolved = grantFor(grant, environments, props.environment);
        if (!resolved) return undefined;
        const { overrideReason, overrideOf, ...options } = resolved;
        const { suppressions, ...grantOptions } = options;
        const added = this.workspace.addGrant(collaboratorId, { ...grantOptions, collaborator, environmentOverride: overrideReason, overrideOf });
        if (suppressions?.length) GuardrailSuppressions.add(added, suppressions);
        return added;
      });
      if (created) grants.push(created);
    }
    this.grants = grants;

    const groupGrants: UserGroupGrant[] = [];
    for (const entry of props.definition.groupGrants ?? []) {
      const created = withDeclaredAt(entry, () => {
        const resolved = grantFor(entry.grant, entry.environments, props.environment);
        if (!resolved) return undefined;
        const { overrideReason: _reason, overrideOf: _overrideOf, expiresOn, suppressions, ...options } = resolved;
        if (expiresOn !== undefined) {
          invalid(`${where} group grant "${entry.id}"`, {
            field: 'grant.expiresOn',
            received: expiresOn,
            allowed: 'no expiry on a group grant (the identity provider controls who is in the group)',
            fix: 'remove expiresOn and end the access by removing members in your identity provider, or delete the group grant.',
          });
        }
        const added = this.workspace.addGroupGrant(entry.id, { ...options, groupName: entry.groupName });
        if (suppressions?.length) GuardrailSuppressions.add(added, suppressions);
        return added;
      });
      if (created) groupGrants.push(created);
    }
    this.groupGrants = groupGrants;
    this.applySuppressions(where, props);
    if (props.guardrails !== false) applySegmentAccessPolicy(this, props.guardrails ?? {});
  }

  /** The code's suppressions, on the grants of this environment; an id declared nowhere is a stale suppression. */
  private applySuppressions(where: string, props: SegmentAccessStackProps): void {
    const declared = new Set([...props.definition.collaborators.map((c) => c.id), ...(props.definition.groupGrants ?? []).map((g) => g.id)]);
    for (const [id, suppressions] of Object.entries(props.suppressions ?? {})) {
      if (!declared.has(id)) {
        invalid(where, {
          field: `suppressions.${id}`,
          received: id,
          allowed: 'the id of a collaborator or group grant of the definition',
          fix: 'remove the suppression (its grant is gone) or correct the id.',
        });
      }
      const grant = this.workspace.node.tryFindChild(id);
      if (grant) GuardrailSuppressions.add(grant, suppressions);
    }
  }

  private get provisionedResources(): ProvisionedResource[] {
    return [this.workspace.reconciler, this.workspace.releaseAnchor];
  }

  /** cdktf resolves every element while preparing; the workspace's literal-only triggers need none of it. */
  public override prepareStack(): void {
    ProvisionedResource.withTriggersDeferred(this.provisionedResources, () => super.prepareStack());
  }

  /** The stack's Terraform JSON, with the workspace's triggers added after cdktf's token resolution. */
  public override toTerraform(): any {
    const resources = this.provisionedResources;
    const document = ProvisionedResource.withTriggersDeferred(resources, () => super.toTerraform());
    for (const r of resources) r.addTriggersTo(document);
    return document;
  }
}
