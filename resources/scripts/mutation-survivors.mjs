#!/usr/bin/env node
// `node resources/scripts/mutation-survivors.mjs <folder>`: the mutants that survived (or had no test) so
// far, one line each (file:line mutator → replacement), read from the results Stryker's event-recorder
// writes while a run goes (reports/mutation/events-<folder>/) or, after a run, from the incremental file.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const folder = process.argv[2] ?? 'domain';
const events = `reports/mutation/events-${folder}`;
const undetected = new Set(['Survived', 'NoCoverage']);
const lines = [];
if (existsSync(events) && readdirSync(events).some((f) => f.endsWith('-onMutantTested.json'))) {
  for (const name of readdirSync(events)
    .filter((f) => f.endsWith('-onMutantTested.json'))
    .sort()) {
    const m = JSON.parse(readFileSync(join(events, name), 'utf8'));
    if (undetected.has(m.status)) {
      lines.push(
        `${m.status} ${m.fileName.replace(`${process.cwd()}/`, '')}:${m.location.start.line} ${m.mutatorName} → ${JSON.stringify(m.replacement)}`,
      );
    }
  }
} else {
  const report = JSON.parse(readFileSync(`reports/mutation/${folder}.incremental.json`, 'utf8'));
  for (const [file, result] of Object.entries(report.files)) {
    for (const m of result.mutants.filter((x) => undetected.has(x.status))) {
      lines.push(
        `${m.status} ${file}:${m.location.start.line} ${m.mutatorName} → ${JSON.stringify(m.replacement)}`,
      );
    }
  }
}
console.log(lines.join('\n'));
console.log(`${lines.length} undetected`);
