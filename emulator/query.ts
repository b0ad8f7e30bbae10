import { validationError } from './errors';

/**
 * Query strings as Segment's SDKs send them: brackets and dots are the same thing
 * (`pagination[count]` = `pagination.count`, `userIds[0]` = `userIds.0`; design.md section 3).
 * Outside strict mode an array may also be a repeated key (`userIds=a&userIds=b`) or use empty
 * brackets (`userIds[]=a`), which Segment does not document.
 */
export class QueryParams {
  private readonly entries: Array<[key: string, value: string, raw: string]>;

  constructor(
    search: string,
    private readonly strict = false,
  ) {
    this.entries = [...new URLSearchParams(search).entries()].map(([key, value]) => [normalizeKey(key), value, key]);
  }

  /** The value given for `name`, or undefined; in strict mode a repeated scalar is a 422. */
  getString(name: string): string | undefined {
    const values = this.entries.filter(([key]) => key === name).map(([, value]) => value);
    if (this.strict && values.length > 1) throw validationError(`${name} is given ${values.length} times; give it once.`, name);
    return values.length > 0 ? values[values.length - 1] : undefined;
  }

  /** Every value of the array `name`, indexed entries in index order after plain repeated ones. */
  getArray(name: string): string[] {
    const plain: string[] = [];
    const indexed: Array<[index: number, value: string]> = [];
    for (const [key, value, raw] of this.entries) {
      if (key === name) {
        if (this.strict) {
          throw validationError(`${raw} is not how Segment takes a list: send ${name}.0=..&${name}.1=.. (or ${name}[0]=..).`, name);
        }
        plain.push(value);
      } else if (key.startsWith(`${name}.`) && /^\d+$/.test(key.slice(name.length + 1))) {
        indexed.push([Number(key.slice(name.length + 1)), value]);
      }
    }
    indexed.sort((a, b) => a[0] - b[0]);
    return [...plain, ...indexed.map(([, value]) => value)];
  }
}

function normalizeKey(key: string): string {
  return key.replace(/\[\]$/, '').replace(/\[([^\]]*)\]/g, '.$1');
}
