/**
 * Query strings as Segment's SDKs send them. Brackets and dots are the same thing
 * (`pagination[count]` = `pagination.count`, `userIds[0]` = `userIds.0`), and an array
 * may also be a repeated key (`userIds=a&userIds=b`) or use empty brackets (`userIds[]=a`).
 */
export class QueryParams {
  private readonly entries: Array<[key: string, value: string]>;

  constructor(search: string) {
    this.entries = [...new URLSearchParams(search).entries()].map(([key, value]) => [normalizeKey(key), value]);
  }

  /** The last value given for `name`, or undefined. */
  getString(name: string): string | undefined {
    const values = this.entries.filter(([key]) => key === name).map(([, value]) => value);
    return values.length > 0 ? values[values.length - 1] : undefined;
  }

  /** Every value of the array `name`, indexed entries in index order after plain repeated ones. */
  getArray(name: string): string[] {
    const plain: string[] = [];
    const indexed: Array<[index: number, value: string]> = [];
    for (const [key, value] of this.entries) {
      if (key === name) {
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
