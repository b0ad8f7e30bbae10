import type { Construct } from 'constructs';
import { TerraformProvider } from '../framework';

/**
 * The `hashicorp/null` provider block that the null_resource flavour needs, without the
 * `@cdktf/provider-null` package (whose peer dependency would pull cdktf into a CDK Terrain project).
 * It has no settings: the output matches what that package's NullProvider 11 synthesizes.
 */
export class NullProvider extends TerraformProvider {
  /** Terraform's provider type name. */
  public static readonly TYPE = 'null';

  constructor(scope: Construct, id: string) {
    super(scope, id, {
      terraformResourceType: NullProvider.TYPE,
      terraformGeneratorMetadata: { providerName: 'null', providerVersion: '3.2.4', providerVersionConstraint: '~> 3.0' },
      terraformProviderSource: 'null',
    });
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return {};
  }

  /**
   * Whether the stack already has a `null` provider, from any copy of cdktf or cdktn: by the framework's
   * own marker and the provider's type name, never `instanceof` (false across packages).
   */
  public static isDeclaredIn(scope: Construct): boolean {
    return scope.node.findAll().some((c) => TerraformProvider.isTerraformProvider(c) && c.terraformResourceType === NullProvider.TYPE);
  }
}
