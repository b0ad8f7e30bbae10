#!/usr/bin/env node
// Hand-written mutants: plausible human mistakes (not operator flips), each of which breaks one of the
// five promises (README "What it promises"). Each is applied to the sources in turn, the mutated
// folder's OWN tests run (`npx jest __tests__/<folder>`), a failure is expected, and the file is
// restored (always: on success, failure, Ctrl-C or SIGTERM). The table goes to
// reports/mutation/hand-mutants.md. Stryker's operator mutants cannot make these mistakes; the issue
// (#25) found that some survive every test, or are killed only by another folder's tests.
//
// Usage: node scripts/hand-mutants.js [--suite whole] [--only id,id] [--folder name] [--out file]
//   --suite whole  also runs the whole in-process suite on the survivors of their own folder's tests:
//                  every suite that imports the mutated file (jest --findRelatedTests), but those that run
//                  the compiled dist/, which a source mutant never reaches
//   --only, --folder  a subset (the report then says so)
//
// The list format is deliberately plain, so more mutants can be added by hand:
//   { id, folder, file, search, replace, description }
// `search` must occur exactly once in `file` (checked here before anything is changed, and by
// __tests__/mutation/hand-mutants.test.ts on every `npm test`, so the list cannot rot).
const { spawn } = require('child_process');
const { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync, existsSync } = require('fs');
const { tmpdir } = require('os');
const { join, relative, resolve } = require('path');

const ROOT = join(__dirname, '..');

/** The folders whose own tests judge their mutants (`__tests__/<folder>`). */
const FOLDERS = ['api', 'policy', 'model', 'reconciler', 'requests', 'records', 'constructs'];

/** @type {readonly { id: string, folder: string, file: string, search: string, replace: string, description: string }[]} */
const MUTANTS = [
  // --- api/: secrets never leave; a write is never repeated blindly ---
  {
    id: 'api-redact-whole-token-only',
    folder: 'api',
    file: 'api/redact.ts',
    search: 'const width = Math.min(MIN_REDACTED_PIECE, secret.length);',
    replace: 'const width = secret.length;',
    description: 'Redacts the token only when it appears whole: a server that echoes a cut or split token leaks it.',
  },
  {
    id: 'api-redact-values-not-keys',
    folder: 'api',
    file: 'api/redact.ts',
    search: '[redact(key), redactDeep(item, redact)]',
    replace: '[key, redactDeep(item, redact)]',
    description: "Redacts the values of an error's data but not its keys: a token echoed as a key reaches the error.",
  },
  {
    id: 'api-retry-after-lost-response',
    folder: 'api',
    file: 'api/transport.ts',
    search: 'if (!failure.retryable || attempt >= maxAttempts || (unknownOutcome && req.repeatAfterAmbiguousFailure === false)) {',
    replace: 'if (!failure.retryable || attempt >= maxAttempts) {',
    description: 'Retries a create after a lost response without reading Segment first: a second group, or invites met as "already invited".',
  },
  {
    id: 'api-network-error-unredacted',
    folder: 'api',
    file: 'api/transport.ts',
    search: 'const reason = this.redact(outcome.reason);',
    replace: 'const reason = outcome.reason;',
    description: "Puts a network error's text into the error unredacted: a proxy or runtime that echoes the Authorization header leaks the token.",
  },

  // --- policy/: guardrails judge what is really granted, comparisons are exact ---
  {
    id: 'policy-allowlist-endswith',
    folder: 'policy',
    file: 'policy/rules/email.ts',
    search: '.filter((g) => !allowed.includes(emailDomain(g.email)))',
    replace: '.filter((g) => !allowed.some((domain) => g.email.toLowerCase().endsWith(domain)))',
    description: "Checks the allow-list with endsWith(domain) instead of the address's domain: evil-acme.com passes for acme.com.",
  },
  {
    id: 'policy-sso-subdomain',
    folder: 'policy',
    file: 'policy/rules/identity.ts',
    search: '.filter((g) => !sso.domains.includes(emailDomain(g.email)))',
    replace: '.filter((g) => !sso.domains.some((domain) => emailDomain(g.email).endsWith(domain)))',
    description: 'Accepts any domain that ends like an SSO domain: notacme.com passes for acme.com, and cannot log in once SSO is enforced.',
  },
  {
    id: 'policy-custom-owner-skips-approval',
    folder: 'policy',
    file: 'policy/rule.ts',
    search: 'if (grant.role === WorkspaceRole.OWNER || grant.permissions.some((p) => p.roleName === SegmentRoleName.WORKSPACE_OWNER)) return WorkspaceRole.OWNER;',
    replace: 'if (grant.role === WorkspaceRole.OWNER) return WorkspaceRole.OWNER;',
    description: 'Judges a grant by its preset name: a CUSTOM grant holding Workspace Owner skips the OWNER approval.',
  },
  {
    id: 'policy-seats-forget-retained',
    folder: 'policy',
    file: 'policy/rules/seats.ts',
    search: 'const seats = declared.size + retainedOnly.length;',
    replace: 'const seats = declared.size;',
    description: 'Counts only declared collaborators against the seat limit, forgetting retained members: synth passes a definition the deploy cannot seat.',
  },
  {
    id: 'policy-sod-case-sensitive',
    folder: 'policy',
    file: 'policy/rules/separation-of-duties.ts',
    search: '.filter((g) => same(g.audit.requestedBy, g.email))',
    replace: '.filter((g) => g.audit.requestedBy?.trim() === g.email)',
    description: 'Compares requester and grantee as typed: Ann@x.com requests her own access as ann@x.com and passes as someone else.',
  },
  {
    id: 'policy-time-limit-people-only',
    folder: 'policy',
    file: 'policy/rules/expiry.ts',
    search: '.filter((g) => g.kind !== CollaboratorKind.SERVICE_ACCOUNT)',
    replace: '.filter((g) => g.kind === CollaboratorKind.PERSON)',
    description: 'Requires time-limited access of people only: a contractor gets open-ended access without a warning.',
  },

  // --- model/: a preset resolves to no more than declared; outputs are literals ---
  {
    id: 'model-readonly-label-unscoped',
    folder: 'model',
    file: 'model/resolve-grant.ts',
    search: 'if (scopes.length === 0) permissions.push(',
    replace: 'if (scopes.every((s) => s.sourceIds.length === 0)) permissions.push(',
    description: 'Treats a SourceAccess that names no source ids as no narrowing: a label-narrowed READ_ONLY gains four workspace-wide roles.',
  },
  {
    id: 'model-warehouse-readonly-not-narrowing',
    folder: 'model',
    file: 'model/grantable.ts',
    search: 'const narrowing = body.role === WorkspaceRole.MEMBER || body.role === WorkspaceRole.READ_ONLY;',
    replace: 'const narrowing = body.role === WorkspaceRole.MEMBER;',
    description: 'Forgets READ_ONLY narrows warehouses: naming one warehouse grants all of them, more than declared.',
  },
  {
    id: 'model-level-last-mention-wins',
    folder: 'model',
    file: 'model/resolve-grant.ts',
    search: 'return before === AccessLevel.ADMIN ? before : level;',
    replace: 'return level;',
    description: 'Keeps the last mention of a source, not the strongest: the plan and reports say READ_ONLY while the grant gives ADMIN.',
  },
  {
    id: 'model-labels-any-match',
    folder: 'model',
    file: 'model/resolve-grant.ts',
    search: 'return r.labels.every((l) => source.labels[l.key] === l.value);',
    replace: 'return r.labels.some((l) => source.labels[l.key] === l.value);',
    description: 'Lets a label scope cover a source matching any one of its labels: destinations of sources the grant does not administer are allowed.',
  },
  {
    id: 'model-csv-formula-equals-only',
    folder: 'model',
    file: 'model/output-encoding.ts',
    search: 'const FORMULA_START = /^[=+\\-@\\t\\r]/;',
    replace: 'const FORMULA_START = /^=/;',
    description: 'Guards only cells starting with "=": "@SUM(...)" or "+cmd|..." from a request runs as a formula in the CSV inventory.',
  },
  {
    id: 'model-markdown-pipe',
    folder: 'model',
    file: 'model/output-encoding.ts',
    search: "'>', '|', '~'",
    replace: "'>', '~'",
    description: 'Forgets "|" in Markdown escaping: a display name splits a table row and forges a column in reports.',
  },

  // --- reconciler/: ownership, evidence, last owner, records, expiry ---
  {
    id: 'reconciler-seats-before-last-owner',
    folder: 'reconciler',
    file: 'reconciler/plan.ts',
    search: "const freed = kept.filter((c) => c.kind === 'remove-user' || c.kind === 'cancel-invite').length;",
    replace: "const freed = changes.filter((c) => c.kind === 'remove-user' || c.kind === 'cancel-invite').length;",
    description: "Counts seats freed before the last-owner refusal: the refused removal frees no seat, so the apply exceeds the plan's seat count.",
  },
  {
    id: 'reconciler-trail-horizon-forgotten',
    folder: 'reconciler',
    file: 'reconciler/evidence.ts',
    search: 'const inHorizon = events.filter((e) => Date.parse(e.timestamp) >= horizon);',
    replace: 'const inHorizon = events;',
    description: "Forgets the audit trail's horizon: after a quiet quarter the app's own old events count as someone else's, and nothing can be removed.",
  },
  {
    id: 'reconciler-seal-not-bound-to-id',
    folder: 'reconciler',
    file: 'reconciler/records.ts',
    search: "binding === 'new' ? 'new' : `group ${binding.groupId}`",
    replace: "binding === 'new' ? 'new' : 'group'",
    description: "Leaves the group id out of the record's MAC: a sealed name copied onto another group verifies, and its members count as managed.",
  },
  {
    id: 'reconciler-intent-resolved-early',
    folder: 'reconciler',
    file: 'reconciler/ownership.ts',
    search: 'if (input.now.getTime() - stamp.getTime() >= input.auditDelayMs) resolvedIntents.push(intent);',
    replace: 'resolvedIntents.push(intent);',
    description: "Folds an interrupted run's intent as done before the audit trail can show all its invites: those invites are orphaned, access left behind.",
  },
  {
    id: 'reconciler-authoritative-other-apps',
    folder: 'reconciler',
    file: 'reconciler/plan.ts',
    search: "if (desired.management.authoritative && !ownership.claimedByOthers.has(email)) return 'not declared (authoritative workspace)';",
    replace: "if (desired.management.authoritative) return 'not declared (authoritative workspace)';",
    description: "Lets an authoritative workspace remove everyone undeclared, including people another app's record claims.",
  },
  {
    id: 'reconciler-retained-removed',
    folder: 'reconciler',
    file: 'reconciler/plan.ts',
    search: 'if (declared.has(email) || retained.has(email) || conflicted.has(email)) return undefined;',
    replace: 'if (declared.has(email) || conflicted.has(email)) return undefined;',
    description: 'Forgets retainEmails when choosing removals: an authoritative run removes the members it was told to keep.',
  },
  {
    id: 'reconciler-live-emails-case-sensitive',
    folder: 'reconciler',
    file: 'reconciler/live-state.ts',
    search: 'users: new Map(users.map((u) => [normalizeEmail(u.email), u])),',
    replace: 'users: new Map(users.map((u) => [u.email, u])),',
    description: 'Keys live users by email as Segment spells it: Ann@X.com is never matched with ann@x.com, so she is re-invited and never removed.',
  },
  {
    id: 'reconciler-expiry-end-of-day',
    folder: 'reconciler',
    file: 'reconciler/plan.ts',
    search: 'return c.expiresOn !== null && Date.parse(`${c.expiresOn}T00:00:00Z`) <= now.getTime();',
    replace: 'return c.expiresOn !== null && Date.parse(`${c.expiresOn}T23:59:59Z`) <= now.getTime();',
    description: "Ends access at the end of the expiry day instead of its start: a deploy on that day keeps access synth already reported as ended.",
  },

  // --- requests/: a request is data and cannot steer the tool ---
  {
    id: 'requests-grant-not-strict',
    folder: 'requests',
    file: 'requests/schema.ts',
    search: 'export const GrantRequestSchema = z.object(grantRequestFields).strict().describe(',
    replace: 'export const GrantRequestSchema = z.object(grantRequestFields).describe(',
    description: "Forgets .strict() on a grant: unknown keys pass, and the file's own data (suppressions included) reaches the constructs.",
  },
  {
    id: 'requests-override-not-strict',
    folder: 'requests',
    file: 'requests/schema.ts',
    search: "absent: z.boolean().optional().describe('No access at all in this environment.'),\n  })\n  .strict();",
    replace: "absent: z.boolean().optional().describe('No access at all in this environment.'),\n  });",
    description: 'Forgets .strict() on an environment override: a control setting written under environments.prod is silently accepted.',
  },
  {
    id: 'requests-only-js-tags-refused',
    folder: 'requests',
    file: 'requests/safe-yaml.ts',
    search: 'if (event.tagStart < 0) return;',
    replace: "if (event.tagStart < 0 || !source.slice(event.tagStart, event.tagEnd).startsWith('!!js')) return;",
    description: 'Refuses only !!js tags: other tags (!!binary, !!set, custom ones) reach the parser, so the file is no longer plain data.',
  },
  {
    id: 'requests-duplicate-email-case',
    folder: 'requests',
    file: 'requests/schema.ts',
    search: 'const email = normalizeEmail(c.email);',
    replace: 'const email = c.email.trim();',
    description: 'Compares emails case-sensitively when refusing duplicates: Ann@x.com and ann@x.com are two entries for one person.',
  },

  // --- records/: reports say exactly what is granted, as literals ---
  {
    id: 'records-csv-unencoded',
    folder: 'records',
    file: 'records/tables.ts',
    search: "return `${cells.map(csvCell).join(',')}\\n`;",
    replace: "return `${cells.join(',')}\\n`;",
    description: 'Writes streamed CSV rows without encoding the cells: a comma splits a row, a leading "=" becomes a formula.',
  },
  {
    id: 'records-markdown-unencoded',
    folder: 'records',
    file: 'records/tables.ts',
    search: "return `| ${cells.map(markdownText).join(' | ')} |\\n`;",
    replace: "return `| ${cells.join(' | ')} |\\n`;",
    description: 'Writes Markdown inventory rows without escaping: a request\'s text renders as markup or forges a column.',
  },
  {
    id: 'records-expired-shown-active',
    folder: 'records',
    file: 'records/inventory.ts',
    search: "status: g.expired ? 'expired (revoked on next deploy)' : 'active',",
    replace: "status: 'active',",
    description: 'Lists an expired grant as active in the IAM-tracker inventory: the report contradicts what the deploy does.',
  },
  {
    id: 'records-suppressed-errors-hidden',
    folder: 'records',
    file: 'records/inventory.ts',
    search: ".filter((f) => (suppressed ? f.suppressed !== null : f.suppressed === null && f.level === 'warning'))",
    replace: ".filter((f) => (suppressed ? f.suppressed !== null && f.level === 'warning' : f.suppressed === null && f.level === 'warning'))",
    description: 'Shows only suppressed warnings in the inventory: a suppressed error (and its reason) disappears from the record reviewers read.',
  },
  {
    id: 'records-handoff-name-raw',
    folder: 'records',
    file: 'records/handoff.ts',
    search: '`## ${md(w.name)} (${w.environment})`,',
    replace: '`## ${w.name} (${w.environment})`,',
    description: "Puts the workspace name into the hand-off note's heading unescaped: Markdown in a name renders as links or markup.",
  },

  // --- constructs/: Terraform sees literals; every control shows in the plan ---
  {
    id: 'constructs-percent-directive',
    folder: 'constructs',
    file: 'constructs/terraform-literal.ts',
    search: "return text.replace(/([$%])\\{/g, '$1$1{');",
    replace: "return text.replace(/\\$\\{/g, '$$$${');",
    description: 'Escapes only ${ in Terraform strings, forgetting %{ directives: a request can run a template directive in the plan.',
  },
  {
    id: 'constructs-keys-unescaped',
    folder: 'constructs',
    file: 'constructs/terraform-literal.ts',
    search: 'out[terraformLiteralString(key)] = escapeAll(item);',
    replace: 'out[key] = escapeAll(item);',
    description: 'Escapes values but not object keys: Terraform evaluates ${...} in a key too (a label key from a request).',
  },
  {
    id: 'constructs-retained-not-in-controls',
    folder: 'constructs',
    file: 'constructs/workspace-controls.ts',
    search: "  ['retained_emails', (ws) => (ws.retainEmails.length ? [...ws.retainEmails].sort().join(', ') : 'none')],\n",
    replace: '',
    description: 'Leaves retained emails out of the plan\'s control triggers: changing who an authoritative run keeps does not show by name.',
  },
  {
    id: 'constructs-email-not-normalized',
    folder: 'constructs',
    file: 'constructs/segment-collaborator.ts',
    search: 'this.email = normalizeEmail(p.email);',
    replace: 'this.email = p.email.trim();',
    description: 'Keeps the email as written: Ann@X.com and ann@x.com become two collaborators, and rules keyed by email miss one.',
  },
];

/** How many times `search` occurs in `text` (non-overlapping). */
function occurrences(text, search) {
  let count = 0;
  for (let at = text.indexOf(search); at !== -1; at = text.indexOf(search, at + search.length)) count++;
  return count;
}

/** Checks a mutant against the current sources; returns the problem, or undefined when it applies cleanly. */
function problemOf(mutant, root = ROOT) {
  const path = join(root, mutant.file);
  if (!FOLDERS.includes(mutant.folder)) return `${mutant.id}: folder "${mutant.folder}" is not one of ${FOLDERS.join(', ')}`;
  if (!mutant.file.startsWith(`${mutant.folder}/`)) return `${mutant.id}: ${mutant.file} is not in ${mutant.folder}/`;
  if (!existsSync(path)) return `${mutant.id}: ${mutant.file} does not exist`;
  if (mutant.search === mutant.replace) return `${mutant.id}: the replacement is the search text`;
  const n = occurrences(readFileSync(path, 'utf8'), mutant.search);
  return n === 1 ? undefined : `${mutant.id}: the search text occurs ${n} times in ${mutant.file} (exactly once is needed): ${JSON.stringify(mutant.search)}`;
}

// --- running ---

/** The file being mutated, so a signal can put it back. */
let applied;

function restore() {
  if (!applied) return;
  const { path, original, stat } = applied;
  writeFileSync(path, original);
  // Back to its own time stamps: jest's global setup rebuilds dist/ when a source is newer than it.
  utimesSync(path, stat.atime, stat.mtime);
  applied = undefined;
}

function apply(mutant) {
  const path = join(ROOT, mutant.file);
  const original = readFileSync(path, 'utf8');
  const stat = statSync(path);
  applied = { path, original, stat };
  writeFileSync(path, original.replace(mutant.search, () => mutant.replace));
  utimesSync(path, stat.atime, stat.mtime);
}

let child;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (child) child.kill('SIGTERM');
    restore();
    process.stderr.write(`\n${signal}: sources restored.\n`);
    process.exit(130);
  });
}
process.on('exit', restore);

/** Suites that run the compiled dist/ (a source mutant never reaches them) or other packages. */
const NOT_IN_PROCESS = ['/node_modules/', '<rootDir>/__tests__/consumers/', '<rootDir>/__tests__/e2e/', '<rootDir>/__tests__/build/', '<rootDir>/__tests__/scaffold/', '<rootDir>/__tests__/docs/'];

/** Runs jest; resolves with whether every test passed and the first failing test's name. */
function runJest(args) {
  const dir = mkdtempSync(join(tmpdir(), 'hand-mutant-'));
  const outputFile = join(dir, 'result.json');
  return new Promise((resolve, reject) => {
    child = spawn(process.execPath, [require.resolve('jest/bin/jest'), ...args, '--silent', '--json', `--outputFile=${outputFile}`], {
      cwd: ROOT,
      env: { ...process.env, FORCE_COLOR: '0' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code) => {
      child = undefined;
      let result;
      try {
        result = JSON.parse(readFileSync(outputFile, 'utf8'));
      } catch {
        result = undefined;
      }
      rmSync(dir, { recursive: true, force: true });
      if (!result) return resolve({ passed: false, firstFailure: `jest exited ${code} without results: ${stderr.trim().split('\n').slice(-3).join(' ')}` });
      if (result.numTotalTests === 0) return reject(new Error(`jest ran no tests for ${args.join(' ')}`));
      resolve({ passed: code === 0 && result.success, firstFailure: firstFailure(result) });
    });
  });
}

function firstFailure(result) {
  for (const suite of result.testResults) {
    const failed = suite.assertionResults.find((a) => a.status === 'failed');
    if (failed) return `${relative(ROOT, suite.name)}: ${failed.fullName}`;
    if (suite.status === 'failed') return `${relative(ROOT, suite.name)}: ${(suite.message || 'suite failed').trim().split('\n')[0].slice(0, 160)}`;
  }
  return undefined;
}

const ownTests = (mutant) => [`__tests__/${mutant.folder}`];
/**
 * Every in-process suite that imports the mutated file, directly or not (jest's findRelatedTests, as
 * Stryker runs them): no other suite can notice a change to it. Jest follows imports only through
 * files under its roots, so every source folder is one (jest.mutate.config.js does the same).
 */
const SOURCE_ROOTS = ['__tests__', 'api', 'approvals', 'audit', 'cli', 'constructs', 'demo', 'doctor', 'emulator', 'evidence', 'framework', 'importer', 'model', 'policy', 'reconciler', 'records', 'requests', 'reviews', 'scaffold', 'stacks'];
const wholeSuite = (mutant) => [
  ...SOURCE_ROOTS.filter((dir) => existsSync(join(ROOT, dir))).flatMap((dir) => ['--roots', `<rootDir>/${dir}`]),
  '--testPathIgnorePatterns', ...NOT_IN_PROCESS,
  '--findRelatedTests', mutant.file,
];

function cell(text) {
  return String(text ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function rate(killed, total) {
  return `${killed} of ${total} (${total ? ((100 * killed) / total).toFixed(0) : 0}%)`;
}

function report(results, { whole, subset }) {
  const lines = [
    '# Hand-written mutants',
    '',
    'Plausible human mistakes, each breaking one of the five promises, applied one at a time by',
    '`node scripts/hand-mutants.js`' + (whole ? ' `--suite whole`' : '') + ": each runs its folder's own tests (`npx jest __tests__/<folder>`) and is killed when one fails.",
    ...(whole ? ['A survivor of its own tests then runs the whole in-process suite: every suite that imports the mutated file (`jest --findRelatedTests`), but those that run the compiled dist/.'] : []),
    ...(subset ? ['', `A subset was run (${subset}): not the whole list.`] : []),
    '',
    `**Killed by their own folder's tests: ${rate(results.filter((r) => !r.own.passed).length, results.length)}.**` +
      (whole ? ` Killed by the whole suite: ${rate(results.filter((r) => !r.own.passed || (r.whole && !r.whole.passed)).length, results.length)}.` : ''),
    '',
    '| folder | mutants | killed by own tests |',
    '| --- | ---: | ---: |',
    ...FOLDERS.filter((f) => results.some((r) => r.mutant.folder === f)).map((f) => {
      const mine = results.filter((r) => r.mutant.folder === f);
      return `| ${f}/ | ${mine.length} | ${mine.filter((r) => !r.own.passed).length} |`;
    }),
    '',
    `| id | file | mistake | own tests | first failing test${whole ? ' | whole suite' : ''} |`,
    `| --- | --- | --- | --- | ---${whole ? ' | ---' : ''} |`,
    ...results.map(({ mutant, own, whole: w }) => {
      const wholeCell = whole ? ` | ${own.passed ? (w.passed ? 'survived' : `killed: ${cell(w.firstFailure)}`) : ''}` : '';
      return `| ${mutant.id} | ${mutant.file} | ${cell(mutant.description)} | ${own.passed ? 'survived' : 'killed'} | ${cell(own.passed ? '' : own.firstFailure)}${wholeCell} |`;
    }),
    '',
  ];
  return lines.join('\n');
}

function option(args, name) {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main() {
  const args = process.argv.slice(2);
  const suite = option(args, '--suite') ?? 'own';
  if (suite !== 'own' && suite !== 'whole') throw new Error(`--suite ${suite}: use own (the default) or whole.`);
  const only = option(args, '--only')?.split(',').map((s) => s.trim());
  const folder = option(args, '--folder');
  const out = option(args, '--out') ?? join('reports', 'mutation', 'hand-mutants.md');
  const unknown = (only ?? []).filter((id) => !MUTANTS.some((m) => m.id === id));
  if (unknown.length) throw new Error(`--only: no mutant ${unknown.join(', ')}`);
  const chosen = MUTANTS.filter((m) => (!only || only.includes(m.id)) && (!folder || m.folder === folder));
  // Every search text is checked before any file changes: a stale list fails loudly, having touched nothing.
  const problems = chosen.map((m) => problemOf(m)).filter(Boolean);
  if (problems.length) throw new Error(`The mutant list no longer matches the sources:\n${problems.join('\n')}`);

  const results = [];
  for (const mutant of chosen) {
    process.stderr.write(`${mutant.id} (${mutant.file}): own tests... `);
    apply(mutant);
    let own;
    let whole;
    try {
      own = await runJest(ownTests(mutant));
      process.stderr.write(own.passed ? 'SURVIVED' : `killed (${own.firstFailure})`);
      if (own.passed && suite === 'whole') {
        process.stderr.write('; whole suite... ');
        whole = await runJest(wholeSuite(mutant));
        process.stderr.write(whole.passed ? 'SURVIVED' : `killed (${whole.firstFailure})`);
      }
    } finally {
      restore();
    }
    process.stderr.write('\n');
    results.push({ mutant, own, whole });
  }
  const subset = only || folder ? [only && `--only ${only.join(',')}`, folder && `--folder ${folder}`].filter(Boolean).join(' ') : undefined;
  const markdown = report(results, { whole: suite === 'whole', subset });
  writeFileSync(resolve(ROOT, out), markdown);
  process.stdout.write(markdown);
}

if (require.main === module) {
  main().catch((error) => {
    restore();
    process.stderr.write(`\n${error.message}\n`);
    process.exit(1);
  });
}

module.exports = { MUTANTS, FOLDERS, problemOf, occurrences };
