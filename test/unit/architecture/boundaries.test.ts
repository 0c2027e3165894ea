// Process and layer boundaries, checked on the source itself (ESLint enforces the same rules while editing;
// this test keeps them true even if a lint rule is switched off).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- eslint.config.js is plain JavaScript without type declarations
import { MAIN_LAYERS as LAYER_TABLE } from '../../../eslint.config.js';

const root = join(import.meta.dirname, '..', '..', '..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|svelte|mts|js)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** Module specifiers a file imports or requires (static, dynamic and type-only). */
export function importsOf(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\bimport\s+(?:type\s+)?(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/g,
    /\bexport\s+(?:type\s+)?[^'"]*?\s+from\s+['"]([^'"]+)['"]/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of source.matchAll(re)) found.push(m[1]!);
  return found;
}

function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
}

const NODE_BUILTIN =
  /^(node:|(assert|buffer|child_process|crypto|dns|events|fs|fs\/promises|http|https|module|net|os|path|process|stream|tls|url|util|worker_threads|zlib)$)/;
const rel = (p: string) => relative(root, p).split(sep).join('/');

function offenders(files: string[], isBad: (spec: string) => boolean): string[] {
  return files.flatMap((f) =>
    importsOf(readFileSync(f, 'utf8'))
      .filter(isBad)
      .map((spec) => `${rel(f)} imports ${spec}`),
  );
}

describe('process boundaries', () => {
  it('finds imports of every form (the checker itself can fail)', () => {
    const sample = `import { a } from 'electron';\nimport type { B } from "node:fs";\nconst c = await import('os');\nrequire('zod');\nexport { d } from './d';`;
    expect(importsOf(sample)).toEqual(['electron', 'node:fs', './d', 'os', 'zod']);
  });

  it('only the Electron entry and its adapter import electron', () => {
    const main = sourceFiles(join(root, 'src', 'main')).filter(
      (f) => rel(f) !== 'src/main/index.ts' && !rel(f).startsWith('src/main/electron/'),
    );
    const others = [
      ...sourceFiles(join(root, 'src', 'shared')),
      ...sourceFiles(join(root, 'src', 'renderer')),
    ];
    expect(offenders([...main, ...others], (s) => s === 'electron' || s.startsWith('electron/'))).toEqual([]);
  });

  it('src/shared imports no Node built-ins and touches no DOM', () => {
    const shared = sourceFiles(join(root, 'src', 'shared'));
    expect(offenders(shared, (s) => NODE_BUILTIN.test(s))).toEqual([]);
    const domUse = shared.filter((f) =>
      /\b(window|document|navigator|localStorage)\s*\./.test(withoutComments(readFileSync(f, 'utf8'))),
    );
    expect(domUse.map(rel)).toEqual([]);
  });

  it('the renderer imports no Node built-ins', () => {
    expect(offenders(sourceFiles(join(root, 'src', 'renderer')), (s) => NODE_BUILTIN.test(s))).toEqual([]);
  });

  it('the sandboxed preload imports only electron and relative files', () => {
    const preload = sourceFiles(join(root, 'src', 'preload'));
    expect(
      offenders(preload, (s) => s !== 'electron' && !s.startsWith('./') && !s.startsWith('../')),
    ).toEqual([]);
  });
});

// --- Layers inside src/main (the table lives in eslint.config.js, so lint and this test agree) ---

const mainDir = join(root, 'src', 'main');
const MAIN_LAYERS = LAYER_TABLE as Record<string, readonly string[]>;

/** The folder of src/main a file is in ('' for src/main/index.ts), or null outside src/main. */
function mainFolderOf(path: string): string | null {
  const inside = relative(mainDir, path).split(sep).join('/');
  if (inside.startsWith('..')) return null;
  return inside.includes('/') ? inside.split('/')[0]! : '';
}

/** Layer-order violations of one file's imports: "from → to (spec)". */
export function layerViolations(
  file: string,
  specs: string[],
  layers: Record<string, readonly string[]>,
  allowed: ReadonlySet<string> = new Set(),
): string[] {
  const from = mainFolderOf(file);
  if (from === null || from === '') return [];
  const out: string[] = [];
  for (const spec of specs) {
    if (!spec.startsWith('.')) continue;
    const target = join(dirname(file), spec);
    const key = `${rel(file)} -> ${spec}`;
    if (allowed.has(key)) continue;
    if (rel(target).startsWith('src/renderer')) {
      out.push(`${key}: src/main never imports src/renderer`);
      continue;
    }
    const to = mainFolderOf(target);
    if (to === null || to === '' || to === from) continue;
    if (!(layers[from] ?? []).includes(to)) out.push(`${key}: ${from} may not import ${to}`);
  }
  return out;
}

/** The one deliberate exception: the UI benchmark times the renderer's DOM-free keystroke validation. */
const ALLOWED = new Set(['src/main/bench/ui.ts -> ../../renderer/src/lib/keystroke-bench']);

describe('layers inside src/main', () => {
  it('every folder of src/main is in the layer table', () => {
    const folders = readdirSync(mainDir).filter((n) => statSync(join(mainDir, n)).isDirectory());
    expect(folders.filter((f) => !(f in MAIN_LAYERS))).toEqual([]);
  });

  it('no file imports a layer above it, app and cli never import each other, none imports the renderer', () => {
    const problems = sourceFiles(mainDir).flatMap((f) =>
      layerViolations(f, importsOf(withoutComments(readFileSync(f, 'utf8'))), MAIN_LAYERS, ALLOWED),
    );
    expect(problems).toEqual([]);
  });

  it('the checker fails on a wrong-way import (engine → operations, app → cli, main → renderer)', () => {
    const engineFile = join(mainDir, 'engine', 'example.ts');
    expect(layerViolations(engineFile, ['../operations/apply'], MAIN_LAYERS)).toEqual([
      'src/main/engine/example.ts -> ../operations/apply: engine may not import operations',
    ]);
    expect(layerViolations(join(mainDir, 'app', 'x.ts'), ['../cli/index'], MAIN_LAYERS)).toHaveLength(1);
    expect(
      layerViolations(join(mainDir, 'cli', 'commands', 'x.ts'), ['../../app/context'], MAIN_LAYERS),
    ).toHaveLength(1);
    expect(
      layerViolations(join(mainDir, 'fleet', 'x.ts'), ['../../renderer/src/lib/api'], MAIN_LAYERS),
    ).toHaveLength(1);
    // The right way round passes.
    expect(
      layerViolations(join(mainDir, 'operations', 'x.ts'), ['../engine', '../workspace'], MAIN_LAYERS),
    ).toEqual([]);
  });

  it('ESLint reports the same wrong-way import while editing', async () => {
    const eslint = new ESLint({ cwd: root });
    const [result] = await eslint.lintText(
      "import { applyInstance } from '../operations';\nexport const a = applyInstance;\n",
      {
        filePath: join(mainDir, 'engine', 'wrong-way.ts'),
      },
    );
    const messages = result!.messages.filter((m) => m.ruleId === 'no-restricted-imports');
    expect(messages.map((m) => m.message)).toEqual([
      expect.stringContaining('src/main/engine may import only servicenow, storage, log'),
    ]);
    const [fine] = await eslint.lintText(
      "import { discover } from '../engine';\nexport const d = discover;\n",
      {
        filePath: join(mainDir, 'operations', 'right-way.ts'),
      },
    );
    expect(fine!.messages.filter((m) => m.ruleId === 'no-restricted-imports')).toEqual([]);
  }, 60_000);
});
