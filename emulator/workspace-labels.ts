import { AuditEventType, AuditResourceType, EmitAuditEvent } from './audit-trail';
import { conflictError, notFoundError, validationError } from './errors';
import { Label, LabelRecord, WorkspaceRecord } from './model';
import { usesLabel } from './permissions';
import { WorkspaceRules } from './workspace-rules';

/** The key of the labels every workspace has (iam/labels.md: "labels for Dev and Prod environments"); other keys are custom. */
export const ENVIRONMENT_LABEL_KEY = 'environment';

/**
 * segment-docs iam/labels.md: "both the key and value must begin with a letter, and they can only
 * contain letters, numbers, hyphens or dashes" (read as hyphens or underscores).
 */
const LABEL_PART = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** Custom label keys of a workspace: "All Segment workspaces can create up to five custom labels" (iam/labels.md). */
export function customLabelKeys(labels: readonly { key: string }[]): string[] {
  return [...new Set(labels.map((label) => label.key).filter((key) => key !== ENVIRONMENT_LABEL_KEY))];
}

export function createLabel(workspace: WorkspaceRecord, input: LabelRecord, rules: WorkspaceRules, emit: EmitAuditEvent): LabelRecord {
  for (const part of ['key', 'value'] as const) {
    if (!LABEL_PART.test(input[part])) {
      throw validationError(
        `Label ${part} "${input[part]}" must begin with a letter and contain only letters, numbers, "-" or "_".`,
        `label.${part}`,
      );
    }
  }
  if (workspace.labels.some((label) => label.key === input.key && label.value === input.value)) {
    throw conflictError(`Label "${input.key}:${input.value}" already exists in workspace "${workspace.id}".`, 'label');
  }
  const keys = customLabelKeys(workspace.labels);
  if (rules.customLabelLimit !== null && input.key !== ENVIRONMENT_LABEL_KEY && !keys.includes(input.key) && keys.length >= rules.customLabelLimit) {
    throw validationError(`This workspace has ${keys.length} custom labels (${keys.join(', ')}), its plan's limit; "${input.key}" would be one more.`, 'label.key');
  }
  const label: LabelRecord = { key: input.key, value: input.value, ...(input.description !== undefined ? { description: input.description } : {}) };
  workspace.labels.push(label);
  emit({ type: AuditEventType.LABEL_CREATED, resourceId: `${label.key}:${label.value}`, resourceType: AuditResourceType.LABEL, resourceName: `${label.key}:${label.value}` });
  return label;
}

/** "Once a label is in use (assigned to a resource or used to restrict permissions), it cannot be deleted" (iam/labels.md). */
export function deleteLabel(workspace: WorkspaceRecord, label: Label, emit: EmitAuditEvent): void {
  const name = `${label.key}:${label.value}`;
  if (!workspace.labels.some((candidate) => candidate.key === label.key && candidate.value === label.value)) {
    throw notFoundError(`No label "${name}" in workspace "${workspace.id}".`, 'label');
  }
  const onResource = [...workspace.sources, ...workspace.spaces].find((resource) => resource.labels[label.key] === label.value);
  const inPermission = [...workspace.users, ...workspace.invites, ...workspace.groups].find((holder) => usesLabel(holder.permissions, label));
  if (onResource || inPermission) {
    const where = onResource ? `resource "${onResource.name}" (${onResource.id})` : `a permission of ${'email' in inPermission! ? inPermission.email : `group "${inPermission!.name}"`}`;
    throw conflictError(`Label "${name}" is in use by ${where}; remove it there before deleting it.`, 'label');
  }
  workspace.labels = workspace.labels.filter((candidate) => candidate.key !== label.key || candidate.value !== label.value);
  emit({ type: AuditEventType.LABEL_DELETED, resourceId: name, resourceType: AuditResourceType.LABEL, resourceName: name });
}
