#!/usr/bin/env node
// Summarises StrykerJS JSON reports (one per `npm run mutate` run) as Markdown: the score per folder
// and file, and every surviving or uncovered mutant with its line, so survivors can be worked through.
// Usage: node scripts/mutation-summary.js reports/mutation/a.json [b.json ...] > mutation.md
const { readFileSync } = require('fs');

const UNDETECTED = new Set(['Survived', 'NoCoverage']);

const files = new Map();
for (const report of process.argv.slice(2)) {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  for (const [path, file] of Object.entries(json.files)) files.set(path, file);
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
const total = tally();
for (const t of byFolder.values()) for (const k of Object.values(COLUMN)) total[k] += t[k];

const header = '| | score | killed | timed out | survived | no coverage |\n| --- | ---: | ---: | ---: | ---: | ---: |';
console.log(`# Mutation testing (StrykerJS)\n\nScore = (killed + timed out) / (killed + timed out + survived + no coverage); compile and runtime errors and static mutants are not counted.\n`);
console.log(`## By folder\n\n${header}\n${[...byFolder].map(([f, t]) => row(`${f}/`, t)).join('\n')}\n${row('all', total)}\n`);
console.log(`## By file\n\n${header}\n${byFile.join('\n')}\n`);
console.log(`## Survivors and uncovered mutants (${survivors.length})\n\n| where | status | mutator | original → replacement |\n| --- | --- | --- | --- |\n${survivors.join('\n')}`);
