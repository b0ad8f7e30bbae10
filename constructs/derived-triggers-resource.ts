import type { Construct } from 'constructs';
import { Resource as NullResource, ResourceConfig } from '@cdktf/provider-null/lib/resource';

/**
 * A `null_resource` whose triggers are computed when the stack is synthesized, after every
 * SourceAccess has been added. Plain values rather than cdktf Lazy tokens: each token captures a
 * stack trace, which dominated synth time at thousands of grants.
 */
export class DerivedTriggersResource extends NullResource {
  constructor(
    scope: Construct,
    id: string,
    private readonly produceTriggers: () => Record<string, string>,
    config: Omit<ResourceConfig, 'triggers'> = {},
  ) {
    super(scope, id, config);
  }

  public override toTerraform(): any {
    this.triggers = this.produceTriggers();
    return super.toTerraform();
  }

  public override toHclTerraform(): any {
    this.triggers = this.produceTriggers();
    return super.toHclTerraform();
  }
}
