#!/usr/bin/env node
// Summarises StrykerJS JSON reports (one per `npm run mutate` run) as Markdown: the score per folder
// and file, and every surviving or uncovered mutant with its line, so survivors can be worked through.
// Usage: node scripts/mutation-summary.js reports/mutation/a.json [b.json ...] [--rerun c.json ...] [--keep previous.md ...] [--title text] > mutation.md
// --keep: a folder no JSON report covers keeps its rows from the first previous summary that has it
// (a run covers one folder at a time, and the JSON reports are not kept), marked as carried over.
// --rerun: a later run of some lines only (`--mutate file:10-20`, after tests were added for their
// survivors) updates those mutants, matched by place, mutator and replacement; the source is unchanged.
// --title: the heading, e.g. for the own-test runs (reports/mutation/own-tests.md), each folder measured
// with only its own tests (MUTATE_TESTS=__tests__/<folder>).
const { readFileSync } = require('fs');
const { basename } = require('path');

const UNDETECTED = new Set(['Survived', 'NoCoverage']);

const args = process.argv.slice(2);
const OPTIONS = ['--keep', '--title', '--rerun'];
const reports = args.filter((a, i) => !OPTIONS.includes(a) && !OPTIONS.includes(args[i - 1]));
const previous = args.filter((a, i) => args[i - 1] === '--keep');
const reruns = args.filter((a, i) => args[i - 1] === '--rerun');
const title = args.find((a, i) => args[i - 1] === '--title') ?? 'Mutation testing (StrykerJS)';

const files = new Map();
for (const report of reports) {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  for (const [path, file] of Object.entries(json.files)) files.set(path, file);
}

const mutantKey = (m) => `${m.location.start.line}:${m.location.start.column}-${m.location.end.line}:${m.location.end.column} ${m.mutatorName} ${m.replacement}`;
const rerunChanges = new Map();
for (const report of reruns) {
  for (const [path, file] of Object.entries(JSON.parse(readFileSync(report, 'utf8')).files)) {
    const earlier = files.get(path);
    if (!earlier || earlier.source !== file.source) throw new Error(`--rerun ${report}: ${path} is not in the reports above with the same source`);
    const byKey = new Map(earlier.mutants.map((m) => [mutantKey(m), m]));
    for (const m of file.mutants) {
      const before = byKey.get(mutantKey(m));
      if (!before) throw new Error(`--rerun ${report}: ${path} has a mutant the reports above do not (${mutantKey(m)})`);
      if (before.status !== m.status) rerunChanges.set(`${before.status} → ${m.status}`, (rerunChanges.get(`${before.status} → ${m.status}`) ?? 0) + 1);
      before.status = m.status;
    }
  }
}

// Stryker's statuses that count towards the score, by column; errors and ignored mutants do not.
const COLUMN = { Killed: 'killed', Timeout: 'timeout', Survived: 'survived', NoCoverage: 'noCoverage' };
const tally = () => ({ killed: 0, timeout: 0, survived: 0, noCoverage: 0 });
const add = (t, status) => {
  if (status in COLUMN) t[COLUMN[status]]++;
};
const score = (t) => {
  const valid = t.killed + t.timeout + t.survived + t.noCoverage;
  return valid ? `${((100 * (t.killed + t.timeout)) / valid).toFixed(2)}%` : 'n/a';
};
const row = (name, t) => `| ${name} | ${score(t)} | ${t.killed} | ${t.timeout} | ${t.survived} | ${t.noCoverage} |`;

const byFolder = new Map();
const byFile = [];
const survivors = [];
for (const [path, file] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
  const folder = path.split('/')[0];
  if (!byFolder.has(folder)) byFolder.set(folder, tally());
  const t = tally();
  const lines = file.source.split('\n');
  for (const m of file.mutants) {
    add(t, m.status);
    add(byFolder.get(folder), m.status);
    if (UNDETECTED.has(m.status)) {
      const { line, column } = m.location.start;
      const code = lines[line - 1].trim().slice(0, 100).replace(/\|/g, '\\|');
      survivors.push(`| ${path}:${line}:${column} | ${m.status} | ${m.mutatorName} | \`${code}\` → \`${String(m.replacement ?? '').slice(0, 60).replace(/\|/g, '\\|').replace(/\n/g, ' ')}\` |`);
    }
  }
  byFile.push(row(path, t));
}

// Rows of a previous summary, per section, for the folders the reports above do not cover.
const SECTIONS = ['## By folder', '## By file', '## Survivors'];
const carried = SECTIONS.map(() => []);
const carriedFrom = new Map();
for (const summary of previous) {
  let section = -1;
  for (const line of readFileSync(summary, 'utf8').split('\n')) {
    const heading = SECTIONS.findIndex((h) => line.startsWith(h));
    if (heading >= 0) section = heading;
    const cell = /^\| ([^ |]+\/[^ |]*) \|/.exec(line);
    if (!cell || section < 0) continue;
    const folder = cell[1].split('/')[0];
    if (byFolder.has(folder) || (carriedFrom.has(folder) && carriedFrom.get(folder) !== summary)) continue;
    carriedFrom.set(folder, summary);
    carried[section].push(line);
  }
}
const [carriedFolders, carriedFiles, carriedSurvivors] = carried;
const numbers = (line) => line.split('|').slice(3, 7).map((c) => Number(c.trim()));

const total = tally();
for (const t of byFolder.values()) for (const k of Object.values(COLUMN)) total[k] += t[k];
for (const line of carriedFolders) numbers(line).forEach((n, i) => (total[Object.values(COLUMN)[i]] += n));
const folderRows = [...[...byFolder].map(([f, t]) => row(`${f}/`, t)), ...carriedFolders].sort();
const fileRows = [...byFile, ...carriedFiles].sort();
survivors.push(...carriedSurvivors);

const header = '| | score | killed | timed out | survived | no coverage |\n| --- | ---: | ---: | ---: | ---: | ---: |';
console.log(`# ${title}\n\nScore = (killed + timed out) / (killed + timed out + survived + no coverage); compile and runtime errors and static mutants are not counted.\n`);
const note = carriedFrom.size
  ? `Not re-run, carried over from a previous summary: ${[...carriedFrom].sort().map(([f, from]) => `${f}/ (${basename(from)})`).join(', ')}.\n\n`
  : '';
const rerunNote = reruns.length
  ? `Lines re-run after tests were added for their survivors (${reruns.map((r) => basename(r)).join(', ')}): ${[...rerunChanges].map(([change, n]) => `${n} ${change}`).join(', ') || 'no change'}.\n\n`
  : '';
console.log(`## By folder\n\n${note}${rerunNote}${header}\n${folderRows.join('\n')}\n${row('all', total)}\n`);
console.log(`## By file\n\n${header}\n${fileRows.join('\n')}\n`);
console.log(`## Survivors and uncovered mutants (${survivors.length})\n\n| where | status | mutator | original → replacement |\n| --- | --- | --- | --- |\n${survivors.join('\n')}`);
