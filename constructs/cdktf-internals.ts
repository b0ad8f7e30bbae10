import type { IConstruct } from 'constructs';
import type { ISynthesisSession } from 'cdktf';
// cdktf implements per-construct synthesis hooks but does not re-export them from its index;
// importing the module directly keeps the dependency on cdktf internals in this one file.
import { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';

/** Runs `write` when the construct's stack is synthesized, with the stack's output directory. */
export function onStackSynthesis(construct: IConstruct, write: (session: ISynthesisSession) => void): void {
  addCustomSynthesis(construct, { onSynthesize: write });
}
