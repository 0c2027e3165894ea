// `npm run bench`: every registered benchmark, a table, then one JSON document (also written to
// bench-results.json in the working directory). Exit code 1 when a target is missed or a benchmark crashed.
import { registeredBenchmarks } from './registry';
import { renderBenchTable, runBenchmarks, writeBenchDocument } from './harness';

async function run(): Promise<number> {
  const only = process.argv.slice(2);
  const benchmarks = registeredBenchmarks().filter((b) => !only.length || only.includes(b.name));
  const doc = await runBenchmarks(benchmarks, (name) => process.stderr.write(`running ${name}…\n`));
  process.stdout.write(`${renderBenchTable(doc).join('\n')}\n\n`);
  process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  const file = await writeBenchDocument(doc, process.cwd());
  process.stderr.write(`written to ${file}\n`);
  return doc.pass ? 0 : 1;
}

process.exitCode = await run();
