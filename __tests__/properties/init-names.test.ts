import { test } from '@fast-check/jest';
import { appIdOf, fillTemplate, packageNameOf } from '../../scaffold/project';
import { APP_ID_PATTERN } from '../../model/desired-state';
import { fc, numRuns } from './fast-check-config';

// `segment-access init [dir]` turns a directory name (anything a person types) into the package name
// and the app id of the new repo: always valid ones, or none (then init asks for --app-id).

const NPM_NAME = /^[a-z0-9][a-z0-9._-]*$/;

test.prop([fc.string({ unit: 'grapheme', maxLength: 300 })], { numRuns: numRuns(300) })('any directory name gives a valid npm package name, and an app id that matches the record\'s pattern or none', (name) => {
  const pkg = packageNameOf(`/work/${name.replace(/\//g, '_')}`);
  expect(pkg).toMatch(NPM_NAME);
  expect(pkg.length).toBeLessThanOrEqual(214);
  const appId = appIdOf(pkg);
  if (appId !== undefined) expect(appId).toMatch(APP_ID_PATTERN);
});

test.prop([fc.dictionary(fc.stringMatching(/^\w{1,8}$/), fc.string({ maxLength: 20 }))], { numRuns: numRuns(200) })('a template is filled with exactly the values given; a value is never read as a placeholder', (values) => {
  const keys = Object.keys(values);
  const template = keys.map((k) => `<{{${k}}}>`).join('');
  expect(fillTemplate(template, values)).toBe(keys.map((k) => `<${values[k]}>`).join(''));
});
