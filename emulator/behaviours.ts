/**
 * Behaviours Segment's docs leave open, each with the emulator's current choice first and the
 * plausible alternatives after it (design.md section 7; docs/emulator-and-assumptions.md lists the
 * source of each, or "not documented"). The client must be right under every value.
 */

/** How users, invites and group members hold an email (not documented). */
export enum EmailCase {
  /** Every email is stored lower-cased; any case finds it. */
  LOWER_CASED = 'lower-cased',
  /** Kept as first given (`Ana.Lee@Acme.example`); deletes and group calls match that exact string. */
  PRESERVED = 'preserved',
}

/** `POST /groups` (and `PATCH`) with a name another group has (not documented). */
export enum DuplicateGroupNames {
  REFUSED_409 = 'refused-409',
  REFUSED_422 = 'refused-422',
  ALLOWED = 'allowed',
}

/**
 * `POST /invites` naming someone already a member or invited. Segment documents 200/201, 404, 422 and
 * 429 for its IAM endpoints, and no answer for this case.
 */
export enum ExistingInvitee {
  CONFLICT_409 = 'conflict-409',
  VALIDATION_422 = 'validation-422',
  /** 201; the people already there are skipped and left out of `emails`. */
  SKIPPED_201 = 'skipped-201',
}

/** The permissions a user has right after accepting an invite (not documented for the API). */
export enum AcceptedInviteAccess {
  INVITE_PERMISSIONS = 'invite-permissions',
  /** segment-docs iam/scim.md: "Newly added workspace users have the Minimal Workspace Access permission by default". */
  PLUS_MINIMAL_WORKSPACE_ACCESS = 'plus-minimal-workspace-access',
}

/** Single sign-on and SCIM (segment-docs iam/sso.md, iam/scim.md); how they meet the API is not documented. */
export enum SsoProvisioning {
  /** Nobody joins but through an invite. */
  OFF = 'off',
  /**
   * "New users who authenticate using your IdP are automatically created in Segment as minimal-access
   * members" (iam/sso.md); a pending invite of theirs is taken as used up. SCIM may remove members,
   * and their group memberships go with them (iam/scim.md).
   */
  JUST_IN_TIME_AND_SCIM = 'just-in-time-and-scim',
}

/** `DELETE /users`, `DELETE /invites`, `DELETE /group/{id}/users` naming something unknown (not documented). */
export enum BatchDeleteUnknown {
  /** 404, nothing deleted. */
  REFUSE_WHOLE_CALL = 'refuse-whole-call',
  /** 200, the known ones deleted, the unknown ones ignored. */
  DELETE_THE_REST = 'delete-the-rest',
}

/** What an audit-trail cursor holds. */
export enum AuditCursor {
  /** Base64 of an offset, as the other lists page (docs.segmentapis.com "Pagination": "MA==", "Mw=="). */
  OFFSET = 'offset',
  /**
   * A position in time: the SDK's listAuditEvents says endTime "defaults to the current time, or the end
   * time from the pagination cursor", so an explicit endTime wins over the cursor's.
   */
  TIME = 'time',
}

/** The `type` of access-management audit events. */
export enum AuditEventNames {
  /** As each endpoint's description in the SDK names them ("New Segment User Invited to Workspace", "Subjects Added to Group"). */
  SDK = 'sdk',
  /** As the in-app Audit Trail lists them (segment-docs iam/audit-trail.md: "User Invite Sent", "User Group Updated"). */
  IN_APP = 'in-app',
}

/** How `resourceType` is spelled in audit events: the SDK gives the field, not its values. */
export enum AuditResourceTypes {
  /** `USER`, `INVITE`, `USER_GROUP`, `LABEL`: the API's ResourceType style. */
  UPPER_SNAKE = 'upper-snake',
  /** `User`, `Invite`, `User Group`, `Label`: as the in-app trail might show them. */
  TITLE = 'title',
}

/** The largest `pagination.count` a list accepts: the SDK says 1 to 1000, docs.segmentapis.com defaults to 200. */
export enum PageSizeLimit {
  SDK_1000 = 1000,
  DOCS_200 = 200,
}

/** Error `type`s Segment documents: input-validation (422) and the 429's RequestError. The rest are invented. */
export enum ErrorTypes {
  /** `not-found`, `conflict`, `unauthorized`, `forbidden`. */
  EMULATOR = 'emulator',
  /** Types no client knows (`segment-new-type`): a client must act on the status. */
  UNFAMILIAR = 'unfamiliar',
}
