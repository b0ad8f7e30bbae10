import { test } from '@fast-check/jest';
import { dump as stringify } from 'js-yaml';
import { parseAccessRequests } from '../../requests/load';
import { FORBIDDEN_KEYS } from '../../requests/safe-yaml';
import { SegmentAccessValidationError } from '../../model/validation';
import { fc, numRuns } from './fast-check-config';

// The parser boundary of the access requests file, where text from people who want access enters:
// any text is either requests (exactly what was written) or one SegmentAccessValidationError whose
// every problem is located; never another exception, never a changed prototype, never lost data.

const LOCATED = /^access\.yaml:\d+:\d+$/;

function outcome(text: string): { value?: unknown; error?: SegmentAccessValidationError } {
  try {
    return { value: parseAccessRequests(text) };
  } catch (error) {
    if (error instanceof SegmentAccessValidationError) return { error };
    throw error;
  }
}

/** Text that survives validation: not blank, well-formed, any characters otherwise (quotes, "#", ": ", "yes", "1e3"). */
const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter((s) => s.trim().length > 0);
const id = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,20}$/);
const role = fc.constantFrom('OWNER', 'ADMIN', 'MEMBER', 'READ_ONLY');
const date = fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

const collaborator = (n: number) =>
  fc.record(
    {
      id: id.map((s) => `${s}${n}`),
      email: fc.constant(`person${n}@agency.example`),
      displayName: text,
      organization: text,
      kind: fc.constantFrom('SERVICE_ACCOUNT', 'PERSON', 'CONTRACTOR'),
      requestedBy: text,
      ticket: text,
      grant: fc.record({ role, justification: text, expiresOn: date }, { requiredKeys: ['role'] }),
      environments: fc.record({ dev: fc.record({ reason: text.map((s) => `${s} differs in dev`), role }) }),
    },
    { requiredKeys: ['id', 'email', 'displayName', 'grant'] },
  );

const requests = fc.integer({ min: 0, max: 4 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => collaborator(i)))).map((collaborators) => ({ collaborators }));

describe('the access requests parser', () => {
  test.prop([fc.string({ unit: 'binary', maxLength: 300 })], { numRuns: numRuns(300) })('any text: requests, or one validation error whose every problem is located', (source) => {
    const { error } = outcome(source);
    for (const p of error?.problems ?? []) expect(p.at).toMatch(LOCATED);
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
  });

  test.prop([fc.jsonValue({ maxDepth: 4 })], { numRuns: numRuns(300) })('any YAML document: requests, or one validation error; no exception of another kind', (value) => {
    const { error } = outcome(stringify(value));
    for (const p of error?.problems ?? []) expect(p.at).toMatch(LOCATED);
  });

  test.prop([requests], { numRuns: numRuns(200) })('valid requests written as YAML read back exactly as written: no value changes type or text', (data) => {
    const { value, error } = outcome(stringify(data));
    expect(error).toBeUndefined();
    expect(value).toEqual({ collaborators: data.collaborators, groupGrants: [] });
  });

  test.prop([requests.filter((d) => d.collaborators.length > 0), fc.constantFrom(...FORBIDDEN_KEYS, 'executor', 'authoritative', 'suppressions', 'tokenEnvVar'), fc.nat(), fc.constantFrom('root', 'collaborator', 'grant')], { numRuns: numRuns(200) })(
    'a prototype key or a control key anywhere is refused, at its line, by name',
    (data, key, pick, where) => {
      const copy = JSON.parse(JSON.stringify(data));
      const c = copy.collaborators[pick % copy.collaborators.length];
      const target = where === 'root' ? copy : where === 'collaborator' ? c : c.grant;
      // defineProperty: "__proto__" as an own key, as YAML would write it.
      Object.defineProperty(target, key, { value: { x: 1 }, enumerable: true, configurable: true, writable: true });
      const { error } = outcome(stringify(copy));
      expect(error).toBeDefined();
      const problem = error!.problems.find((p) => p.field.split('.').pop() === key);
      expect(problem).toBeDefined();
      expect(problem!.at).toMatch(LOCATED);
      expect(problem!.fix).toMatch(FORBIDDEN_KEYS.includes(key) ? /^remove the "/ : /is a control setting; set it in the workspace configuration \(code\)/);
    },
  );
});
