// Process boundaries, checked on the source itself (ESLint enforces the same rules while editing;
// this test keeps them true even if a lint rule is switched off).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

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
