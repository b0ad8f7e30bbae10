import type { Construct } from 'constructs';
import { anyToHclTerraform, hashMapperHcl, ITerraformDependable, LocalExecProvisioner, TerraformResource } from '../framework';
import { ResourceFlavor } from '../model/enums';
import { terraformLiteral } from './terraform-literal';

/** A plan-readable value: text, or one level of named entries each holding text fields (e.g. grants by email). */
export type TriggerValue = string | Readonly<Record<string, string | Readonly<Record<string, string>>>>;
export type Triggers = Readonly<Record<string, TriggerValue>>;

/** The attribute that replaces the resource when it changes, per flavour. */
export function triggerAttribute(flavor: ResourceFlavor): 'triggers_replace' | 'triggers' {
  return flavor === ResourceFlavor.TERRAFORM_DATA ? 'triggers_replace' : 'triggers';
}

/** `${self.<triggers>.<key>}`: what a provisioner may read (destroy-time provisioners may only use `self`). */
export function selfTrigger(flavor: ResourceFlavor, key: string): string {
  return `\${self.${triggerAttribute(flavor)}.${key}}`;
}

/** `${lookup(self.<triggers>, "<key>", "<fallback>")}`: for a key that resources created by older versions lack. */
export function selfTriggerOr(flavor: ResourceFlavor, key: string, fallback: string): string {
  return `\${lookup(self.${triggerAttribute(flavor)}, ${JSON.stringify(key)}, ${JSON.stringify(fallback)})}`;
}

/** `${contains(keys(self.<triggers>), "<key>") ? "<then>" : "<otherwise>"}`: tells resources of an older shape apart. */
export function selfTriggerHas(flavor: ResourceFlavor, key: string, then: string, otherwise: string): string {
  return `\${contains(keys(self.${triggerAttribute(flavor)}), ${JSON.stringify(key)}) ? ${JSON.stringify(then)} : ${JSON.stringify(otherwise)}}`;
}

/** `${try(self.input.<key>, "")}`: a `terraform_data` input value (empty for a resource created without one). */
export function selfInput(key: string): string {
  return `\${try(self.input.${key}, "")}`;
}

export interface ProvisionedResourceConfig {
  readonly flavor: ResourceFlavor;
  /** Computed at synth, after every grant has been added; any change replaces the resource. */
  readonly triggers: () => Triggers;
  /**
   * `terraform_data` only: values updated in place (never a replacement), readable by a destroy
   * provisioner as `self.input`. @default - no input
   */
  readonly input?: () => Readonly<Record<string, string>>;
  readonly dependsOn?: ITerraformDependable[];
  readonly provisioners: LocalExecProvisioner[];
}

/**
 * A `terraform_data` (or `null_resource`) whose replace-triggers are computed at synth. A thin
 * TerraformResource rather than cdktf's DataResource, which runs `terraform version` per instance at
 * synth. Every trigger string is written as a Terraform literal (see terraform-literal.ts).
 * `null_resource` triggers are a flat map of strings, so nested entries are flattened to one line each.
 */
export class ProvisionedResource extends TerraformResource {
  private readonly flavor: ResourceFlavor;
  private readonly produceTriggers: () => Triggers;
  private readonly produceInput?: () => Readonly<Record<string, string>>;
  /** Set while a stack renders its JSON without the triggers, to add them after cdktf's token resolution. */
  private triggersDeferred = false;
  /** cdktf renders a resource more than once per synth; the conversion is redone only for new triggers. */
  private converted?: { readonly from: Triggers; readonly to: Record<string, unknown> };

  constructor(scope: Construct, id: string, config: ProvisionedResourceConfig) {
    super(scope, id, {
      terraformResourceType: config.flavor,
      terraformGeneratorMetadata: { providerName: config.flavor === ResourceFlavor.TERRAFORM_DATA ? 'terraform' : 'null' },
      dependsOn: config.dependsOn,
      provisioners: config.provisioners,
    });
    this.flavor = config.flavor;
    this.produceTriggers = config.triggers;
    if (config.input && config.flavor !== ResourceFlavor.TERRAFORM_DATA) throw new Error(`ProvisionedResource "${this.node.path}": only terraform_data has an input.`);
    this.produceInput = config.input;
  }

  /** The triggers as written to Terraform JSON. */
  public synthesizedTriggers(): Record<string, unknown> {
    const triggers = this.produceTriggers();
    if (this.converted?.from !== triggers) {
      this.converted = { from: triggers, to: terraformLiteral(this.flavor === ResourceFlavor.TERRAFORM_DATA ? triggers : flattenForNull(triggers)) };
    }
    return this.converted.to;
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return {};
  }

  /**
   * The triggers join the resource's JSON after cdktf's own attribute processing, which copies every
   * nested object (megabytes at thousands of grants) looking for dynamic blocks they never contain.
   */
  public override toTerraform(): any {
    const out = super.toTerraform();
    if (!this.triggersDeferred) this.addTriggersTo(out);
    return out;
  }

  /** The input as written to Terraform JSON (literals, like the triggers), or undefined. */
  public synthesizedInput(): Record<string, string> | undefined {
    return this.produceInput ? terraformLiteral({ ...this.produceInput() }) : undefined;
  }

  /** Puts the triggers (and input) into a rendered Terraform JSON document (the resource's own, or its stack's). */
  public addTriggersTo(document: any): void {
    const block = document.resource?.[this.terraformResourceType]?.[this.friendlyUniqueId];
    if (!block) return;
    block[triggerAttribute(this.flavor)] = this.synthesizedTriggers();
    const input = this.synthesizedInput();
    if (input) block.input = input;
  }

  /**
   * Runs `render` with the triggers left out of these resources' JSON. Their triggers hold only
   * literal strings (every `${` is escaped, so no cdktf token can be among them), so resolving them is
   * pure cost: three passes over every grant. The caller adds them to the resolved document.
   */
  public static withTriggersDeferred<T>(resources: readonly ProvisionedResource[], render: () => T): T {
    for (const r of resources) r.triggersDeferred = true;
    try {
      return render();
    } finally {
      for (const r of resources) r.triggersDeferred = false;
    }
  }

  /** As cdktf's own DataResource renders its maps for HCL output. */
  protected override synthesizeHclAttributes(): Record<string, unknown> {
    const input = this.synthesizedInput();
    return {
      [triggerAttribute(this.flavor)]: hashMapperHcl(anyToHclTerraform)(this.synthesizedTriggers()),
      ...(input ? { input: hashMapperHcl(anyToHclTerraform)(input) } : {}),
    };
  }
}

/** `{ collaborators: { "a@x": { role: "MEMBER" } } }` -> `{ "collaborators: a@x": "role: MEMBER" }`. */
function flattenForNull(triggers: Triggers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(triggers)) {
    if (typeof value === 'string') out[key] = value;
    else for (const [entry, fields] of Object.entries(value)) out[`${key}: ${entry}`] = typeof fields === 'string' ? fields : Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join(' | ');
  }
  return out;
}
