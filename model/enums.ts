import { deepFreeze } from './deep-freeze';

/** A role preset: what the checklist calls a workspace role, translated to Segment permissions by the preset table. */
export enum WorkspaceRole {
  OWNER = 'OWNER',
  ADMIN = 'ADMIN',
  MEMBER = 'MEMBER',
  READ_ONLY = 'READ_ONLY',
  /** No preset: the grant's `customPermissions` list its Segment permissions (e.g. what `segment-access import` found live). */
  CUSTOM = 'CUSTOM',
}

/** How much a SourceAccess allows on the sources it names. */
export enum AccessLevel {
  ADMIN = 'ADMIN',
  READ_ONLY = 'READ_ONLY',
}

/** Segment data region: decides the Public API and app base URLs. */
export enum Region {
  US = 'US',
  EU = 'EU',
}

/** Who is behind an email address. */
export enum CollaboratorKind {
  /** A shared, role-based mailbox owned by the collaborator's organisation (the checklist's default). */
  SERVICE_ACCOUNT = 'SERVICE_ACCOUNT',
  /** A named employee. */
  PERSON = 'PERSON',
  /** A named person from an outside organisation on a time-limited engagement. */
  CONTRACTOR = 'CONTRACTOR',
}

/** The deployment environment a stack and its workspace belong to. */
export enum Environment {
  PROD = 'prod',
  STAGING = 'staging',
  DEV = 'dev',
}

/** Segment Public API resource types a permission can target. There is no destination type. */
export enum ResourceType {
  WORKSPACE = 'WORKSPACE',
  SOURCE = 'SOURCE',
  WAREHOUSE = 'WAREHOUSE',
  FUNCTION = 'FUNCTION',
  SPACE = 'SPACE',
}

export const REGION_ENDPOINTS: Readonly<Record<Region, { readonly apiUrl: string; readonly appUrl: string }>> = deepFreeze({
  [Region.US]: { apiUrl: 'https://api.segmentapis.com', appUrl: 'https://app.segment.com' },
  [Region.EU]: { apiUrl: 'https://eu1.api.segmentapis.com', appUrl: 'https://app.eu1.segment.com' },
});

/**
 * The Terraform resource type the stacks synthesize. `terraform_data` is built into Terraform >= 1.4
 * (and OpenTofu) and needs no provider download; `null_resource` needs the hashicorp/null provider,
 * for teams that already pin it.
 */
export enum ResourceFlavor {
  TERRAFORM_DATA = 'terraform_data',
  NULL_RESOURCE = 'null_resource',
}

/**
 * The workspace's Segment plan. Free and Team plans "can only grant the workspace owner and source
 * admin roles" and have no user groups (segment-docs src/segment-app/iam/membership.md); the rest
 * (Advanced Access Management, labels on permissions, the audit trail) is Business.
 */
export enum PlanTier {
  BUSINESS = 'BUSINESS',
  TEAM = 'TEAM',
}
