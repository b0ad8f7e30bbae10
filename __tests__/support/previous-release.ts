import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { REGION_ENDPOINTS, Region } from '../../model/enums';

/**
 * Rewrites a synthesized stack as the previous release (main at 9ce62c4, before issue 19) wrote it:
 * the release anchor carried the token variable and API URL in its triggers and read them back from
 * there, and the reconciler's triggers had no controls. Compared by hand with that version's own
 * synth output (git worktree of 9ce62c4, `cdktf synth` of the same definition): the anchor block is
 * byte for byte this one.
 */
export function asPreviousRelease(stackDir: string): void {
  const file = join(stackDir, 'cdk.tf.json');
  const tf = JSON.parse(readFileSync(file, 'utf8'));
  const release = tf.resource.terraform_data.workspace_release;
  const input = release.input as { token_env_var: string; region: Region };
  release.triggers_replace = {
    api_url: REGION_ENDPOINTS[input.region].apiUrl,
    app_id: release.triggers_replace.app_id,
    record_prefix: release.triggers_replace.record_prefix,
    token_env_var: input.token_env_var,
    workspace_id: release.triggers_replace.workspace_id,
  };
  delete release.input;
  release.provisioner[0]['local-exec'].environment = {
    SEGMENT_ACCESS_API_URL: '${self.triggers_replace.api_url}',
    SEGMENT_ACCESS_APP_ID: '${lookup(self.triggers_replace, "app_id", "")}',
    SEGMENT_ACCESS_RECORD_PREFIX: '${self.triggers_replace.record_prefix}',
    SEGMENT_ACCESS_TOKEN_ENV: '${self.triggers_replace.token_env_var}',
    SEGMENT_ACCESS_USE_AUDIT_TRAIL: release.provisioner[0]['local-exec'].environment.SEGMENT_ACCESS_USE_AUDIT_TRAIL,
    SEGMENT_ACCESS_WORKSPACE_ID: '${self.triggers_replace.workspace_id}',
  };
  delete tf.resource.terraform_data.workspace_reconciler.triggers_replace.controls;
  writeFileSync(file, JSON.stringify(tf, null, 2));
}
