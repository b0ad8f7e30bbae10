import { segmentStyleId } from './ids';
import { WorkspaceRecord } from './model';

/** A fresh id for something created in `workspace`; reproducible because the sequence is part of the state. */
export function nextWorkspaceId(workspace: WorkspaceRecord, kind: string, material: string): string {
  workspace.idSequence += 1;
  return segmentStyleId(`${kind}:${workspace.id}:${workspace.idSequence}:${material}`);
}
