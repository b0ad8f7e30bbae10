import type { AuditEvidence } from './evidence';
import { KeyRole } from './record-key';
import { inAppNamespace, isSealedKind, parseRecordName, ParsedRecordName, RecordForm, RecordKind, RecordName, RecordSigner } from './records';
import type { LiveGroup } from './segment-port';

/** Why a group is this app's record. */
export enum Trust {
  /** Signed with the app's key and bound to the group's own id: a copy on another group does not verify. */
  SEALED = 'sealed',
  /** Signed, not yet sealed, and the audit trail shows one of the app's actors gave the group this name. */
  TRAIL = 'audit trail',
  /** A signed invite record named before the audit trail's 90 days (no naming event left to check). */
  BEFORE_TRAIL = 'before the audit trail',
  /** Signed; the audit trail is off (useAuditTrail: false), so the signature is all there is. */
  SIGNATURE = 'signature only',
  /** Unsigned (written by segment-access 0.1, or before app ids), created by one of the app's proven actors: adopted. */
  ADOPTED = 'adopted',
}

/** The write that brings a trusted group's name up to date, made by the next run that writes. */
export enum Resign {
  /** Unsigned (an older version's): signed and sealed once the trail shows the app's actor created it. */
  ADOPT = 'adopt',
  /** Signed with the previous key during a rotation: signed again with the current one. */
  ROTATE = 're-sign',
  /** Signed but not yet bound to its id (a run stopped between creating and sealing it). */
  SEAL = 'seal',
}

/** Why a group that looks like this app's record is not trusted. Each is reported as damage. */
export enum Distrust {
  /** No record key in the environment: nothing can be verified. */
  NO_KEY = 'no-key',
  /** Signed, but not with any key this run holds. */
  BAD_SIGNATURE = 'bad-signature',
  /** A correctly signed name, given to this group by someone other than the app: a copied name. */
  COPY = 'copy',
  /** A record that must be sealed, unsealed, and no naming of it by the app is in the trail. */
  UNCONFIRMED = 'unconfirmed',
  /** A signed intent whose creation did not prove anyone (a copy, too old, or made by a person). */
  INTENT_UNPROVEN = 'intent-unproven',
  /** Unsigned, and the trail shows someone other than the app's actors created or named it. */
  UNSIGNED_FOREIGN = 'unsigned-foreign',
  /** Unsigned and older than the audit trail (or the trail is off): its creator cannot be checked. */
  UNSIGNED_UNVERIFIABLE = 'unsigned-unverifiable',
  /** Unsigned, created by a token no signed run has proven yet: the next run that writes proves its own token and adopts it if it is that one. */
  PENDING_ADOPTION = 'pending-adoption',
  /** A pre-app-id record and migrateLegacyRecords is off. */
  LEGACY_NOT_ENABLED = 'legacy-not-enabled',
  /** A pre-app-id record while other apps keep records here: it cannot be told whose it is. */
  LEGACY_OTHER_APPS = 'legacy-other-apps',
  /** Under the app's name but no version of segment-access writes such a name. */
  MALFORMED = 'malformed',
}

/** A record-shaped group this app does not trust: never read as its record, never a reason to act. */
export interface UnauthenticGroup {
  readonly group: LiveGroup;
  /** What it claims to record, when its name parses. */
  readonly record?: RecordName;
  readonly reason: Distrust;
  /** Who created it (or last named it), from the audit trail. */
  readonly creator?: { readonly actor: string; readonly at: string };
}

export type Classification =
  | { readonly as: 'own'; readonly record: RecordName; readonly trust: Trust; readonly resign?: Resign; readonly renamedTo?: string; readonly createdAs?: string }
  | { readonly as: 'legacy'; readonly record: RecordName }
  | { readonly as: 'other-app'; readonly record: RecordName }
  | { readonly as: 'unauthentic'; readonly record?: RecordName; readonly reason: Distrust }
  | { readonly as: 'not-a-record' };

export interface TrustContext {
  readonly prefix: string;
  readonly app: string;
  /** The app's keys; undefined when none is in the environment. */
  readonly signer?: RecordSigner;
  /** The audit trail, when read. */
  readonly evidence?: AuditEvidence;
  /** Read pre-app-id records (only when no other app keeps records here). */
  readonly migrateLegacyRecords: boolean;
  /** Whether any other app's records are on the workspace. */
  readonly otherAppsPresent: boolean;
}

/**
 * Whether a group is this app's record, and why (or why not). A record-shaped group is trusted only on
 * proof: its signature verifies, and either it is sealed to its own id or the audit trail shows the
 * app's actor named it. Unsigned names of older versions are adopted only when the trail shows one of
 * the app's proven actors created them.
 */
export function classifyGroup(group: LiveGroup, ctx: TrustContext): Classification {
  const parsed = parseRecordName(ctx.prefix, group.name);
  if (parsed?.record.app === ctx.app) return classifyOwn(group, parsed, ctx);
  if (parsed?.form === RecordForm.LEGACY) return classifyLegacy(group, parsed, ctx);
  if (parsed) return { as: 'other-app', record: parsed.record };
  const renamed = renamedOwn(group, ctx);
  if (renamed) return renamed;
  if (inAppNamespace(ctx.prefix, ctx.app, group.name)) return { as: 'unauthentic', reason: ctx.signer ? Distrust.MALFORMED : Distrust.NO_KEY };
  return { as: 'not-a-record' };
}

function classifyOwn(group: LiveGroup, parsed: ParsedRecordName, ctx: TrustContext): Classification {
  const { record } = parsed;
  if (!ctx.signer) return { as: 'unauthentic', record, reason: Distrust.NO_KEY };
  if (parsed.form === RecordForm.UNSIGNED) return adoption(group, record, ctx);
  const verified = ctx.signer.verify(parsed, group.id);
  if (!verified) return { as: 'unauthentic', record, reason: Distrust.BAD_SIGNATURE };
  const rotate = verified.key === KeyRole.PREVIOUS ? Resign.ROTATE : undefined;
  const { evidence } = ctx;
  if (record.kind === RecordKind.INTENT) {
    if (!evidence) return { as: 'own', record, trust: Trust.SIGNATURE };
    return evidence.proofOf(group.id) ? { as: 'own', record, trust: Trust.TRAIL } : { as: 'unauthentic', record, reason: Distrust.INTENT_UNPROVEN };
  }
  if (verified.sealed) return { as: 'own', record, trust: Trust.SEALED, ...(rotate ? { resign: rotate } : {}) };
  const seal = isSealedKind(record.kind) ? Resign.SEAL : rotate;
  if (!evidence) return { as: 'own', record, trust: Trust.SIGNATURE, ...(seal ? { resign: seal } : {}) };
  const naming = evidence.lastNaming(group.id);
  if (naming && naming.resourceName === group.name && evidence.isOurs(naming)) return { as: 'own', record, trust: Trust.TRAIL, ...(seal ? { resign: seal } : {}) };
  if (!naming && record.kind === RecordKind.INVITED) return { as: 'own', record, trust: Trust.BEFORE_TRAIL, ...(rotate ? { resign: rotate } : {}) };
  return { as: 'unauthentic', record, reason: naming ? Distrust.COPY : Distrust.UNCONFIRMED };
}

/** An unsigned record (this app's 0.1 form, or pre-app-id): trusted only when one of the app's proven actors created it. */
function adoption(group: LiveGroup, record: RecordName, ctx: TrustContext, as: 'own' | 'legacy' = 'own'): Classification {
  const { evidence } = ctx;
  if (!evidence) return { as: 'unauthentic', record, reason: Distrust.UNSIGNED_UNVERIFIABLE };
  const naming = evidence.lastNaming(group.id);
  if (!naming) return { as: 'unauthentic', record, reason: Distrust.UNSIGNED_UNVERIFIABLE };
  if (naming.resourceName === group.name && evidence.isOurs(naming)) {
    return as === 'own' ? { as: 'own', record, trust: Trust.ADOPTED, resign: Resign.ADOPT } : { as: 'legacy', record };
  }
  // A token that no signed run has proven yet may be this app's own (a first run after the upgrade proves it).
  const pending = !naming.actorEmail && evidence.ourActors.size === 0;
  return { as: 'unauthentic', record, reason: pending ? Distrust.PENDING_ADOPTION : Distrust.UNSIGNED_FOREIGN };
}

function classifyLegacy(group: LiveGroup, parsed: ParsedRecordName, ctx: TrustContext): Classification {
  if (!ctx.migrateLegacyRecords) return { as: 'unauthentic', record: parsed.record, reason: Distrust.LEGACY_NOT_ENABLED };
  if (ctx.otherAppsPresent) return { as: 'unauthentic', record: parsed.record, reason: Distrust.LEGACY_OTHER_APPS };
  if (!ctx.signer) return { as: 'unauthentic', record: parsed.record, reason: Distrust.NO_KEY };
  return adoption(group, parsed.record, ctx, 'legacy');
}

/** A group of this app that someone renamed away from its record name: the trail still says what it is. */
function renamedOwn(group: LiveGroup, ctx: TrustContext): Classification | undefined {
  const { evidence, signer } = ctx;
  if (!evidence || !signer) return undefined;
  const naming = evidence.lastOwnNaming(group.id, (name, id) => ownName(name, id, ctx));
  if (!naming || naming.name.record.kind === RecordKind.INTENT) return undefined;
  return { as: 'own', record: naming.name.record, trust: Trust.TRAIL, renamedTo: group.name, createdAs: naming.rawName };
}

/** Whether a name (from the trail) is one of this app's: signed with its key, or its unsigned 0.1 form. */
export function ownName(name: ParsedRecordName, groupId: string, ctx: Pick<TrustContext, 'app' | 'signer'>): boolean {
  if (name.record.app !== ctx.app || !ctx.signer) return false;
  return name.form === RecordForm.UNSIGNED || ctx.signer.verify(name, groupId) !== undefined;
}
