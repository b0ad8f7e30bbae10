import { Construct } from 'constructs';
import { assertSameFramework, onStackSynthesis, TerraformStack } from '../framework';
import { NullProvider } from './null-provider';
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { Environment, PlanTier, Region, REGION_ENDPOINTS, ResourceFlavor, WorkspaceRole } from '../model/enums';
import { BUNDLED_EXECUTOR_FILE, bundledExecutorSource, Executor } from './executor';
import { ProvisionedResource, selfInput, selfTrigger, selfTriggerHas, selfTriggerOr, Triggers } from './provisioned-resource';
import { controlTriggers } from './workspace-controls';
import { terraformLiteralString } from './terraform-literal';
import { ControlAcknowledgement, controlsNeedingAcknowledgement } from '../model/control-acknowledgements';
import type { SeparationOfDuties } from '../model/separation-of-duties';
import { ANCHOR_FORMAT, LEGACY_ANCHOR_FORMAT } from '../model/desired-state';
import { canonicalJsonByLine, normalizeEmail, sha256 } from '../model/canonical';
import { DESIRED_STATE_VERSION, DesiredState } from '../model/desired-state';
import { assertGrantable, assertPlanHasUserGroups } from '../model/grantable';
import { DEFAULT_ROLE_PRESETS, RolePreset, TEAM_ROLE_PRESETS } from '../model/role-presets';
import { PermissionsResolver, WorkspaceCatalog } from '../model/resolve-grant';
import { deepFreeze } from '../model/deep-freeze';
import { invalid, parseInput } from '../model/validation';
import { synthNow } from './synth-clock';
import { terraformName } from './terraform-names';
import { markAccessChanged, registerAccessMember, RevisionCache } from './access-revision';
import { WorkspaceGrant, WorkspaceGrantOptions } from './workspace-grant';
import { UserGroupGrant, UserGroupGrantOptions } from './user-group-grant';
import { SegmentWorkspaceProps, WORKSPACE_FIX_HINTS, WorkspacePropsSchema } from './segment-workspace-props';

/**
 * A Segment workspace whose access this code manages. Synthesizes the per-workspace reconciler
 * (runs `segment-access reconcile` whenever the desired state's digest changes), the release anchor
 * (runs `segment-access release` when the stack is destroyed), and the desired-state file beside the stack.
 */
export class SegmentWorkspace extends Construct {
  public readonly workspaceId: string;
  public readonly slug: string;
  public readonly displayName: string;
  public readonly environment: Environment;
  public readonly region: Region;
  public readonly planTier: PlanTier;
  public readonly tokenEnvVar: string;
  public readonly sso: { readonly enforced: boolean; readonly domains: readonly string[] };
  public readonly scimEnabled: boolean;
  public readonly seatLimit?: number;
  public readonly authoritative: boolean;
  public readonly retainEmails: readonly string[];
  public readonly recordPrefix: string;
  /** The app that owns this workspace's record of managed users. */
  public readonly appId: string;
  /** NAME of the variable holding the record key that signs that record. */
  public readonly recordKeyEnvVar: string;
  /** Whether records written before app ids are read and migrated. */
  public readonly migrateLegacyRecords: boolean;
  public readonly useAuditTrail: boolean;
  public readonly accessContact?: string;
  public readonly allowedEmailDomains?: readonly string[];
  public readonly catalog: WorkspaceCatalog;
  /** @internal Resolves each distinct preset and SourceAccess scope of this workspace's grants once. */
  public readonly permissionsResolver: PermissionsResolver;
  /** The Terraform resource type this workspace synthesizes. */
  public readonly resourceFlavor: ResourceFlavor;
  /** How local-exec starts the executor. */
  public readonly executor: Executor;
  /** Reviewed decisions to use control settings that need one (see ControlRuleId). */
  public readonly acknowledgements: readonly ControlAcknowledgement[];
  /** How the separation-of-duties rules apply in this workspace. */
  public readonly separationOfDuties: Required<SeparationOfDuties>;
  /** The entries of the preset table this workspace overrides (shown in the plan). */
  public readonly rolePresetOverrides: Readonly<Partial<Record<WorkspaceRole, RolePreset>>>;
  /** The reconciler resource: replaced (and so re-run) whenever the desired state changes. */
  public readonly reconciler: ProvisionedResource;
  /** Destroyed only with the stack (or when the workspace identity changes): runs release. */
  public readonly releaseAnchor: ProvisionedResource;
  private readonly presets: Partial<Record<WorkspaceRole, RolePreset>>;
  private readonly names: ReadonlyMap<string, string>;
  private readonly grantsByEmail = new Map<string, WorkspaceGrant>();
  private readonly groupGrantsByName = new Map<string, UserGroupGrant>();
  /** The JSON text is kept only until the file is written: at thousands of grants it is megabytes. */
  private readonly stateCache = new RevisionCache<{ state: DesiredState; json?: string; digest: string }>();
  private readonly triggersCache = new RevisionCache<Triggers>();

  constructor(scope: Construct, id: string, props: SegmentWorkspaceProps) {
    super(scope, id);
    const p = parseInput(WorkspacePropsSchema, props, `SegmentWorkspace "${this.node.path}"`, WORKSPACE_FIX_HINTS);
    this.workspaceId = p.workspaceId;
    this.slug = p.slug;
    this.displayName = p.displayName;
    this.environment = p.environment;
    this.region = p.region;
    this.planTier = p.planTier;
    if (p.planTier === PlanTier.TEAM && !p.authoritative) {
      // A Team plan has no user groups, so no record of managed users: authoritative is the one supported mode.
      invalid(`SegmentWorkspace "${this.node.path}"`, {
        field: 'authoritative',
        received: p.authoritative,
        allowed: 'true on a Team plan (no user groups, so no record of which users this code manages)',
        fix: 'set authoritative: true and list every member this code must never remove (owners, people added by hand) in retainEmails.',
      });
    }
    this.tokenEnvVar = p.tokenEnvVar;
    this.sso = { enforced: p.sso.enforced, domains: p.sso.domains.map((d) => d.toLowerCase()) };
    this.scimEnabled = p.scim.enabled;
    this.seatLimit = p.seatLimit;
    this.authoritative = p.authoritative;
    this.retainEmails = p.retainEmails.map(normalizeEmail);
    this.recordPrefix = p.recordPrefix;
    this.appId = p.appId;
    this.recordKeyEnvVar = p.recordKeyEnvVar;
    this.migrateLegacyRecords = p.migrateLegacyRecords;
    this.useAuditTrail = p.useAuditTrail;
    this.accessContact = p.accessContact;
    this.allowedEmailDomains = p.allowedEmailDomains?.map((d) => d.toLowerCase());
    // Frozen: grants share the permissions resolved from a preset, keyed by the preset itself.
    this.presets = deepFreeze({ ...(p.planTier === PlanTier.TEAM ? TEAM_ROLE_PRESETS : DEFAULT_ROLE_PRESETS), ...p.rolePresets });
    this.rolePresetOverrides = p.rolePresets;
    this.catalog = {
      workspaceId: p.workspaceId,
      sources: p.sources.map((s) => ({ id: s.id, name: s.name, labels: s.labels })),
      warehouses: p.warehouses,
    };
    this.permissionsResolver = new PermissionsResolver(this.catalog);
    this.checkCatalogUnique();
    this.names = new Map([...this.catalog.sources, ...this.catalog.warehouses].map((r) => [r.id, r.name]));
    registerAccessMember(this);

    assertSameFramework(this, 'SegmentWorkspace');
    const stack = TerraformStack.of(this);
    this.resourceFlavor = p.resourceFlavor;
    // Every stack needs exactly one `null` provider: reuse the one a user already declared.
    if (this.resourceFlavor === ResourceFlavor.NULL_RESOURCE && !NullProvider.isDeclaredIn(stack)) new NullProvider(stack, 'null');
    this.executor = p.executor;
    this.acknowledgements = p.acknowledgements;
    this.separationOfDuties = { privilegedRoles: p.separationOfDuties.privilegedRoles, waivers: p.separationOfDuties.waivers };
    this.checkAcknowledgements();
    const interpreter = [...this.executor.argv];
    const self = (key: string) => selfTrigger(this.resourceFlavor, key);
    this.releaseAnchor = this.createReleaseAnchor(id, interpreter);

    // One resource carries every grant's readable summary and the desired state's digest: any change
    // replaces it, which runs the reconciler once for the whole workspace.
    this.reconciler = new ProvisionedResource(this, 'Reconciler', {
      flavor: this.resourceFlavor,
      triggers: () => this.reconcilerTriggers(),
      dependsOn: [this.releaseAnchor],
      provisioners: [
        {
          type: 'local-exec',
          interpreter,
          command: 'reconcile',
          environment: {
            SEGMENT_ACCESS_DESIRED_STATE: this.desiredStateFileName,
            SEGMENT_ACCESS_EXPECTED_DIGEST: self('digest'),
          },
        },
      ],
    });
    this.reconciler.overrideLogicalId(terraformName(id, 'reconciler'));

    onStackSynthesis(this, (session) => {
      const dir = join(session.outdir, session.manifest.forStack(stack).workingDirectory);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, this.desiredStateFileName), this.desiredStateJson());
      this.computed(synthNow(this)).json = undefined;
      if (this.executor.usesBundledFile) copyFileSync(bundledExecutorSource(), join(dir, BUNDLED_EXECUTOR_FILE));
      removeStaleOutputs(stack, dir);
    });
  }

  /**
   * The release anchor: replaced only when the workspace identity (workspace, app id, record prefix)
   * changes, so its destroy provisioner runs on `cdktf destroy`, never on a routine edit. What may
   * change without releasing anyone (token variable, region, display name) is `terraform_data` input,
   * updated in place and read by the destroy provisioner through `self.input`. Destroy-time
   * provisioners may only use `self`, and run with the provisioner block of the current configuration
   * (https://developer.hashicorp.com/terraform/language/resources/provisioners/syntax#destroy-time-provisioners).
   */
  private createReleaseAnchor(id: string, interpreter: string[]): ProvisionedResource {
    const flavor = this.resourceFlavor;
    const withInput = flavor === ResourceFlavor.TERRAFORM_DATA;
    const anchor = new ProvisionedResource(this, 'Release', {
      flavor,
      triggers: () => ({ workspace_id: this.workspaceId, app_id: this.appId, record_prefix: this.recordPrefix }),
      input: withInput ? () => ({ token_env_var: this.tokenEnvVar, region: this.region, display_name: this.displayName }) : undefined,
      provisioners: [
        {
          type: 'local-exec',
          when: 'destroy',
          interpreter,
          command: 'release',
          environment: {
            SEGMENT_ACCESS_WORKSPACE_ID: selfTrigger(flavor, 'workspace_id'),
            SEGMENT_ACCESS_RECORD_PREFIX: selfTrigger(flavor, 'record_prefix'),
            // An anchor deployed before app ids has none: release then knows it is being replaced, not destroyed.
            SEGMENT_ACCESS_APP_ID: selfTriggerOr(flavor, 'app_id', ''),
            // An anchor of an older version carried the token variable in its triggers: this version
            // replaces it on its first deploy, and that replacement must release nobody.
            SEGMENT_ACCESS_ANCHOR_FORMAT: selfTriggerHas(flavor, 'token_env_var', LEGACY_ANCHOR_FORMAT, ANCHOR_FORMAT),
            // null_resource has no input: the current configuration's names (see docs/requests-and-controls.md).
            SEGMENT_ACCESS_TOKEN_ENV: withInput ? selfInput('token_env_var') : terraformLiteralString(this.tokenEnvVar),
            SEGMENT_ACCESS_REGION: withInput ? selfInput('region') : this.region,
            SEGMENT_ACCESS_USE_AUDIT_TRAIL: String(this.useAuditTrail),
            // A plain value, not a trigger: changing the key variable must not replace (and so release) the anchor.
            SEGMENT_ACCESS_RECORD_KEY_ENV: terraformLiteralString(this.recordKeyEnvVar),
          },
        },
      ],
    });
    anchor.overrideLogicalId(terraformName(id, 'release'));
    return anchor;
  }

  /** Each acknowledgement answers a control setting this workspace uses, once: a stale one would pre-approve a later change. */
  private checkAcknowledgements(): void {
    const needed = controlsNeedingAcknowledgement({ authoritative: this.authoritative, useAuditTrail: this.useAuditTrail, bundledExecutor: this.executor.usesBundledFile });
    const seen = new Set<string>();
    this.acknowledgements.forEach((a, i) => {
      if (needed.includes(a.ruleId) && !seen.has(a.ruleId)) {
        seen.add(a.ruleId);
        return;
      }
      const twice = seen.has(a.ruleId);
      invalid(`SegmentWorkspace "${this.node.path}"`, {
        field: `acknowledgements.${i}`,
        received: a.ruleId,
        allowed: twice
          ? 'one acknowledgement per rule'
          : `acknowledgements of settings this workspace uses (${needed.length ? needed.join(', ') : 'none: authoritative is false, the audit trail is used and the executor is the bundled one'})`,
        fix: twice
          ? 'keep one acknowledgement of the rule, with the reason that holds.'
          : 'remove the acknowledgement: it answers no setting of this workspace, and a stale one would approve a later change unseen.',
      });
    });
  }

  /** Grants a collaborator access to this workspace. */
  public addGrant(id: string, options: WorkspaceGrantOptions): WorkspaceGrant {
    return new WorkspaceGrant(this, id, { ...options, workspace: this });
  }

  /** Grants permissions to a user group that the identity provider manages (SCIM workspaces). */
  public addGroupGrant(id: string, options: UserGroupGrantOptions): UserGroupGrant {
    return new UserGroupGrant(this, id, { ...options, workspace: this });
  }

  /** @internal Called by WorkspaceGrant: one grant per email per workspace. */
  public registerGrant(grant: WorkspaceGrant): void {
    const email = grant.collaborator.email;
    const existing = this.grantsByEmail.get(email);
    if (existing) {
      invalid(`WorkspaceGrant "${grant.node.path}"`, {
        field: 'collaborator.email',
        received: email,
        allowed: `an email not yet granted in workspace "${this.displayName}" (already granted by "${existing.node.path}")`,
        fix: 'keep one grant per collaborator per workspace: merge the two grants (add SourceAccess entries to one of them).',
      });
    }
    this.grantsByEmail.set(email, grant);
    markAccessChanged(this);
  }

  /** @internal Called by UserGroupGrant: one grant per group per workspace. */
  public registerGroupGrant(grant: UserGroupGrant): void {
    assertPlanHasUserGroups(this.planTier, grant.groupName, `UserGroupGrant "${grant.node.path}"`);
    const existing = this.groupGrantsByName.get(grant.groupName);
    if (existing) {
      invalid(`UserGroupGrant "${grant.node.path}"`, {
        field: 'groupName',
        received: grant.groupName,
        allowed: `a group not yet granted in workspace "${this.displayName}" (already granted by "${existing.node.path}")`,
        fix: 'keep one grant per group per workspace: merge the two grants.',
      });
    }
    this.groupGrantsByName.set(grant.groupName, grant);
    markAccessChanged(this);
  }

  public get grants(): readonly WorkspaceGrant[] {
    return [...this.grantsByEmail.values()];
  }

  public get groupGrants(): readonly UserGroupGrant[] {
    return [...this.groupGrantsByName.values()];
  }

  public rolePreset(role: WorkspaceRole): RolePreset {
    const preset = this.presets[role];
    if (preset) return preset;
    return invalid(`SegmentWorkspace "${this.node.path}"`, {
      field: 'role',
      received: role,
      allowed: `${Object.keys(this.presets).join(', ')} on a ${this.planTier} plan (no read-only role: only Workspace Owner and Source Admin)`,
      fix: 'use MEMBER with a SourceAccess of level ADMIN, add a rolePresets entry for this role, or set planTier: PlanTier.BUSINESS.',
    });
  }

  public get apiUrl(): string {
    return REGION_ENDPOINTS[this.region].apiUrl;
  }

  /** Link to the workspace in the Segment app for this region. */
  public get appUrl(): string {
    return `${REGION_ENDPOINTS[this.region].appUrl}/${this.slug}`;
  }

  /** Source and warehouse names by id, for readable summaries. */
  public get resourceNames(): ReadonlyMap<string, string> {
    return this.names;
  }

  public get desiredStateFileName(): string {
    return `segment-access.${this.workspaceId}.json`;
  }

  /** The grants still in force at synth time; expired ones are left out so the next deploy revokes them. */
  public activeGrants(now: Date = synthNow(this)): WorkspaceGrant[] {
    return this.grants.filter((g) => !g.isExpired(now));
  }

  /** The plain, serialisable model the executor consumes. */
  public desiredState(now: Date = synthNow(this)): DesiredState {
    return this.computed(now).state;
  }

  public desiredStateJson(now: Date = synthNow(this)): string {
    const entry = this.computed(now);
    return entry.json ?? desiredStateText(entry.state);
  }

  /** sha256 of the desired-state file: the reconciler's trigger. */
  public desiredStateDigest(now: Date = synthNow(this)): string {
    return this.computed(now).digest;
  }

  private computed(now: Date): { state: DesiredState; json?: string; digest: string } {
    return this.stateCache.get(this, String(now.getTime()), () => {
      const state = this.buildDesiredState(now);
      const json = desiredStateText(state);
      return { state, json, digest: sha256(json) };
    });
  }

  private buildDesiredState(now: Date): DesiredState {
    for (const g of this.activeGrants(now)) assertGrantable(g.body(), this.planTier, this.catalog, `WorkspaceGrant "${g.node.path}"`);
    for (const g of this.groupGrants) assertGrantable(g.body(), this.planTier, this.catalog, `UserGroupGrant "${g.node.path}"`);
    const byEmail = (a: { email: string }, b: { email: string }) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0);
    return {
      schemaVersion: DESIRED_STATE_VERSION,
      stack: TerraformStack.of(this).node.id,
      workspace: {
        id: this.workspaceId,
        slug: this.slug,
        name: this.displayName,
        environment: this.environment,
        region: this.region,
        appUrl: this.appUrl,
        tokenEnvVar: this.tokenEnvVar,
        seatLimit: this.seatLimit ?? null,
        sso: { enforced: this.sso.enforced, domains: [...this.sso.domains] },
        scim: { enabled: this.scimEnabled },
        accessContact: this.accessContact ?? null,
        ...(this.planTier === PlanTier.TEAM ? { planTier: this.planTier } : {}),
      },
      management: {
        recordPrefix: this.recordPrefix,
        appId: this.appId,
        recordKeyEnvVar: this.recordKeyEnvVar,
        migrateLegacyRecords: this.migrateLegacyRecords,
        useAuditTrail: this.useAuditTrail,
        authoritative: this.authoritative,
        retain: [...this.retainEmails].sort(),
      },
      collaborators: this.activeGrants(now).map((g) => g.toDesiredCollaborator()).sort(byEmail),
      groupGrants: this.groupGrants
        .map((g) => g.toDesiredGroupGrant())
        .sort((a, b) => (a.groupName < b.groupName ? -1 : a.groupName > b.groupName ? 1 : 0)),
      expired: this.grants
        .filter((g) => g.isExpired(now))
        .map((g) => ({ email: g.collaborator.email, expiresOn: g.expiresOn!, path: g.node.path }))
        .sort(byEmail),
    };
  }

  /** What `cdktf plan` shows: every grant by email (group grants by name) and the desired state's digest. */
  private reconcilerTriggers(): Triggers {
    const now = synthNow(this);
    return this.triggersCache.get(this, String(now.getTime()), () => this.computeReconcilerTriggers(now));
  }

  private computeReconcilerTriggers(now: Date): Triggers {
    const byKey = <T>(entries: [string, T][]) => Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return {
      workspace: `${this.displayName} (${this.workspaceId})`,
      controls: controlTriggers(this),
      desired_state_file: this.desiredStateFileName,
      digest: this.desiredStateDigest(now),
      collaborators: byKey(this.activeGrants(now).map((g) => [g.collaborator.email, g.planSummary()])),
      group_grants: byKey(this.groupGrants.map((g) => [g.groupName, g.planSummary()])),
      expired: byKey(this.grants.filter((g) => g.isExpired(now)).map((g) => [g.collaborator.email, `ended ${g.expiresOn}: access is removed`])),
    };
  }

  private checkCatalogUnique(): void {
    const seen = new Map<string, string>();
    for (const s of [...this.catalog.sources, ...this.catalog.warehouses]) {
      for (const key of new Set([s.id, s.name])) {
        const other = seen.get(key);
        if (other !== undefined && other !== s.id) {
          invalid(`SegmentWorkspace "${this.node.path}"`, {
            field: 'sources / warehouses',
            received: key,
            allowed: 'ids and names that each identify one source or warehouse',
            fix: `rename one of the catalog entries that share "${key}".`,
          });
        }
        seen.set(key, s.id);
      }
    }
  }

  public static isSegmentWorkspace(x: unknown): x is SegmentWorkspace {
    return x instanceof SegmentWorkspace;
  }
}

/** A file of the shapes synth writes beside a stack: a desired-state file or the bundled executor. */
export function isSynthOutputFile(name: string): boolean {
  return name === BUNDLED_EXECUTOR_FILE || /^segment-access\..+\.json$/.test(name);
}

/**
 * Synth owns the files it writes beside a stack: one of their shapes that this synth did not write
 * (a desired-state file of a workspace id since corrected or removed, an executor the workspaces no
 * longer run) is an earlier synth's and is removed, so no later command can read it. Everything else
 * in the directory (Terraform's `.terraform`, a local state, the plan) is left alone. Each workspace
 * of the stack runs this after writing its own files, so the order they run in does not matter.
 */
function removeStaleOutputs(stack: TerraformStack, dir: string): void {
  const written = new Set<string>();
  for (const ws of stack.node.findAll().filter(SegmentWorkspace.isSegmentWorkspace)) {
    written.add(ws.desiredStateFileName);
    if (ws.executor.usesBundledFile) written.add(BUNDLED_EXECUTOR_FILE);
  }
  for (const name of readdirSync(dir)) if (isSynthOutputFile(name) && !written.has(name)) rmSync(join(dir, name), { force: true });
}

/** The desired-state file's exact bytes (canonical, so the digest is stable). */
function desiredStateText(state: DesiredState): string {
  return `${canonicalJsonByLine(state)}\n`;
}
