import { CdkFramework } from '../framework/framework-choice';

/**
 * The framework CLI's deploy output, one block per stack. `cdktf deploy a b c` runs the stacks at once
 * and interleaves their output in chunks, each chunk's first line starting with the stack's name. cdktf
 * 0.21 indents a chunk's other lines by as much; CDK Terrain 0.24 prints them as they are (seen in its
 * deploy output: the executor's plan table under `dev  ...reconciling` comes unindented). This reassembles each stack's lines in order and prints a stack's block whole, as soon as
 * that stack is done. Terraform's `init` boilerplate (the same dozen lines per stack, on every run)
 * becomes one line; anything else terraform or the executor prints is kept as it is.
 */

/** What `terraform init` prints when all went well (terraform 1.x), line by line. */
const INIT_BOILERPLATE: readonly RegExp[] = [
  /^Initializing the backend\.\.\.$/,
  /^Successfully configured the backend "[^"]+"! Terraform will automatically$/,
  /^use this backend unless the backend configuration changes\.$/,
  /^Initializing provider plugins\.\.\.$/,
  /^- terraform\.io\/builtin\/terraform is built in to Terraform$/,
  /^Terraform has been successfully initialized!$/,
  /^You may now begin working with Terraform\. Try running "terraform plan" to see$/,
  /^any changes that are required for your infrastructure\. All Terraform commands$/,
  /^should now work\.$/,
  /^If you ever set or change modules or backend configuration for Terraform,$/,
  /^rerun this command to reinitialize your working directory\. If you forget, other$/,
  /^commands will detect it and remind you to do so if necessary\.$/,
  /^Success! Terraform has validated the lock file and found no need for changes\.$/,
];

export const INIT_DONE = 'terraform init: done (nothing to download: the stacks use the built-in terraform_data)';

/** A stack is done when terraform says its apply (or destroy) is complete; a failed one is printed at the end. */
const STACK_DONE = /^(Apply complete!|Destroy complete!)/;

/**
 * The CLI trims the first line of each chunk it prints, which in a plan loses that line's indentation:
 * put it back from the line before (one level deeper after an opening brace, one less for a closing one;
 * a resource's "#" header is indented under "the following actions").
 */
export function reindent(line: string, previous: string | undefined): string {
  if (line !== line.trimStart() || !/^[-+~#}\]]/.test(line) || previous === undefined) return line;
  if (line.startsWith('# ')) return `  ${line}`;
  const base = previous.length - previous.trimStart().length;
  const indent = /[{[]$/.test(previous.trimEnd()) ? base + 2 : /^[}\]]/.test(line) ? Math.max(base - 2, 0) : base;
  return `${' '.repeat(indent)}${line}`;
}

export class DeployLog {
  private readonly lines = new Map<string, string[]>();
  private readonly printed = new Set<string>();
  private current: string | undefined;

  /**
   * @param stacks the stacks the CLI deploys (their names prefix its lines)
   * @param print receives each finished stack's name and lines, and lines that belong to no stack
   * @param framework whose CLI prints the output (how it lays out a chunk's lines after the first)
   */
  constructor(
    private readonly stacks: readonly string[],
    private readonly print: (stack: string | undefined, lines: readonly string[]) => void,
    private readonly framework: CdkFramework = CdkFramework.CDKTF,
  ) {
    for (const stack of stacks) this.lines.set(stack, []);
  }

  /** One line of the CLI's output (colour codes already removed). */
  public add(line: string): void {
    const prefixed = this.stacks.find((s) => line === s || line.startsWith(`${s}  `));
    if (prefixed !== undefined) {
      this.current = prefixed;
      const lines = this.lines.get(prefixed)!;
      this.append(prefixed, reindent(line.slice(prefixed.length).replace(/^ {2}/, ''), lines[lines.length - 1]));
      return;
    }
    // The CLI's own lines ("No outputs found.") say nothing about a stack.
    if (line.trim() === 'No outputs found.') return;
    if (this.current !== undefined && this.framework === CdkFramework.CDKTN) {
      this.append(this.current, line);
      return;
    }
    const indent = this.current === undefined ? 0 : this.current.length + 2;
    if (this.current !== undefined && line.startsWith(' '.repeat(indent))) {
      this.append(this.current, line.slice(indent));
      return;
    }
    this.print(undefined, [line]);
  }

  /** Prints the stacks not printed yet (a failed or interrupted deploy), in the order they were named. */
  public flush(): void {
    for (const stack of this.stacks) this.finish(stack);
  }

  private append(stack: string, text: string): void {
    if (this.printed.has(stack)) {
      // After its block: rare (a line terraform prints after "Apply complete!"), shown with its stack's name.
      if (text.trim()) this.print(stack, [text]);
      return;
    }
    const lines = this.lines.get(stack)!;
    if (INIT_BOILERPLATE.some((re) => re.test(text.trim()))) {
      if (!lines.includes(INIT_DONE)) lines.push(INIT_DONE);
    } else if (text.trim()) lines.push(text);
    if (STACK_DONE.test(text.trim())) this.finish(stack);
  }

  private finish(stack: string): void {
    if (this.printed.has(stack)) return;
    const lines = this.lines.get(stack)!;
    if (!lines.length) return;
    this.printed.add(stack);
    this.print(stack, lines);
  }
}
