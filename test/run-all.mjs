#!/usr/bin/env node
// `npm test`: every check and every test runner, one after another, then one closing line
// `N passed, N failed` that sums them all (CI reads that line; vitest and Playwright summaries
// are not among the formats it reads). Exit code is non-zero when anything failed.
//
// Static checks (build, typecheck, lint, format) count as one test each.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const reportDir = mkdtempSync(join(tmpdir(), 'spokesmith-test-'));
const only = process.argv.slice(2);
const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];

function run(cmd, args, env = {}) {
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return { status: r.status ?? 1, seconds: ((Date.now() - started) / 1000).toFixed(1) };
}

function check(name, cmd, args) {
  if (only.length && !only.includes(name)) return;
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const { status, seconds } = run(cmd, args);
  if (status === 0) totals.passed += 1;
  else totals.failed += 1;
  lines.push(`${status === 0 ? 'ok  ' : 'FAIL'} ${name} (${seconds}s)`);
}

function vitest(name, project, wrapper = []) {
  if (only.length && !only.includes(name)) return;
  const out = join(reportDir, `${name}.json`);
  const args = [
    ...wrapper,
    'npx',
    'vitest',
    'run',
    '--project',
    project,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${out}`,
  ];
  console.log(`\n=== ${name}: ${args.join(' ')}`);
  const { status, seconds } = run(args[0], args.slice(1));
  tally(name, status, seconds, () => {
    const j = JSON.parse(readFileSync(out, 'utf8'));
    const skippedReasons = [];
    for (const file of j.testResults ?? []) {
      for (const t of file.assertionResults ?? []) {
        if (t.status === 'skipped' || t.status === 'pending') skippedReasons.push(t.fullName);
      }
    }
    return {
      passed: j.numPassedTests,
      failed: j.numFailedTests,
      skipped: j.numPendingTests + (j.numTodoTests ?? 0),
      skippedReasons,
    };
  });
}

function playwright(name) {
  if (only.length && !only.includes(name)) return;
  const out = join(reportDir, `${name}.json`);
  console.log(`\n=== ${name}: npx playwright test`);
  const { status, seconds } = run('npx', ['playwright', 'test', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: out,
  });
  tally(name, status, seconds, () => {
    const j = JSON.parse(readFileSync(out, 'utf8'));
    const skippedReasons = [];
    const walk = (suite) => {
      for (const spec of suite.specs ?? []) {
        for (const t of spec.tests ?? []) {
          if (t.status === 'skipped') {
            const why = (t.annotations ?? [])
              .map((a) => a.description)
              .filter(Boolean)
              .join('; ');
            skippedReasons.push(`${spec.title}${why ? ` — ${why}` : ''}`);
          }
        }
      }
      for (const s of suite.suites ?? []) walk(s);
    };
    for (const s of j.suites ?? []) walk(s);
    const st = j.stats ?? {};
    return {
      passed: (st.expected ?? 0) + (st.flaky ?? 0),
      failed: st.unexpected ?? 0,
      skipped: st.skipped ?? 0,
      skippedReasons,
    };
  });
}

function tally(name, status, seconds, read) {
  let r;
  try {
    r = read();
  } catch {
    r = null;
  }
  if (!r) {
    // The runner died before writing its report: count that as one failure, never as zero tests.
    totals.failed += 1;
    lines.push(`FAIL ${name}: no report (exit ${status}) (${seconds}s)`);
    return;
  }
  const failed = r.failed + (status !== 0 && r.failed === 0 ? 1 : 0);
  totals.passed += r.passed;
  totals.failed += failed;
  totals.skipped += r.skipped;
  lines.push(
    `${failed ? 'FAIL' : 'ok  '} ${name}: ${r.passed} passed, ${failed} failed, ${r.skipped} skipped (${seconds}s)`,
  );
  for (const why of r.skippedReasons) lines.push(`       skipped: ${why}`);
}

check('build', 'npx', ['electron-vite', 'build']);
check('typecheck', 'npm', ['run', '--silent', 'typecheck']);
check('lint', 'npm', ['run', '--silent', 'lint']);
check('format', 'npx', ['prettier', '--check', '--log-level', 'warn', '.']);
vitest('unit', 'unit');
vitest('component', 'component');
vitest('keychain', 'keychain', ['bash', 'test/keychain/with-secret-service.sh']);
if (existsSync('playwright.config.ts')) playwright('e2e');

rmSync(reportDir, { recursive: true, force: true });
console.log('\n=== summary');
for (const l of lines) console.log(l);
console.log(
  `${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`,
);
process.exit(totals.failed > 0 ? 1 : 0);
