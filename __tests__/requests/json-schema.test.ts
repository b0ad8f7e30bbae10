import { readFileSync } from 'fs';
import { join } from 'path';
import Ajv2020 from 'ajv/dist/2020';
import { load as parse } from 'js-yaml';
import { ACCESS_SCHEMA_PATH, accessRequestsJsonSchemaText } from '../../requests/json-schema';
import { EXAMPLE_REQUESTS_FILE, REPO_ROOT } from '../support/example';
import { ONE } from './support';

describe('the JSON Schema of access requests files', () => {
  const committed = readFileSync(join(REPO_ROOT, ACCESS_SCHEMA_PATH), 'utf8');
  const validate = new Ajv2020({ strict: false, allErrors: true, validateFormats: false }).compile(JSON.parse(committed));

  test('the committed schema/access.schema.json is the one generated from the zod schemas (run `npm run schema` after changing them)', () => {
    expect(committed).toBe(accessRequestsJsonSchemaText());
  });

  test('is shipped in the npm package, and access.yaml points editors at it on its first line', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
    expect(pkg.files).toContain(ACCESS_SCHEMA_PATH);
    expect(readFileSync(EXAMPLE_REQUESTS_FILE, 'utf8').split('\n')[0]).toBe(`# yaml-language-server: $schema=./${ACCESS_SCHEMA_PATH}`);
  });

  test('an editor using it accepts the example file', () => {
    expect(validate(parse(readFileSync(EXAMPLE_REQUESTS_FILE, 'utf8')))).toBe(true);
  });

  test.each([
    ['a control key at the top', `${ONE}executor: [sh]\n`, '/'],
    ['a suppression in a grant', `${ONE}      suppressions: []\n`, '/collaborators/0/grant'],
    ['an unknown role', ONE.replace('READ_ONLY', 'SUPERUSER'), '/collaborators/0/grant/role'],
    ['an unknown environment', `${ONE}    environments: { qa: { reason: a long enough reason } }\n`, '/collaborators/0/environments'],
  ])('an editor using it flags %s', (_what, text, path) => {
    expect(validate(parse(text))).toBe(false);
    expect(validate.errors!.map((e) => e.instancePath)).toContain(path === '/' ? '' : path);
  });
});
