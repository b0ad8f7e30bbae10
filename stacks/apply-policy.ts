import { Aspects, TerraformStack } from '../framework';
import type { GuardrailOptions } from '../policy/rule';
import { SegmentAccessGuardrails } from '../policy/guardrails-aspect';
import { writeRecordsOnSynth } from '../records/write-records';

/** Adds the guardrail rule pack (fails synth on errors) and writes the IAM records on every synth. */
export function applySegmentAccessPolicy(stack: TerraformStack, options: GuardrailOptions = {}): void {
  Aspects.of(stack).add(new SegmentAccessGuardrails(options));
  writeRecordsOnSynth(stack, options);
}
