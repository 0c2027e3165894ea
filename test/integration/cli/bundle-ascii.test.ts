// Issue 11: the CLI bundle (out/cli) is ASCII only. V8 keeps a source of ASCII characters at one byte per
// character, and one other character anywhere (a '—' in a doc comment is enough) makes the whole chunk two:
// twice the memory to read, hash and collect on every start. The build escapes such characters in code and
// leaves out doc comments (electron.vite.config.ts, cliBundle); this names any file that slips through.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const bundle = fileURLToPath(new URL('../../../out/cli/', import.meta.url));

it('the CLI bundle has no character outside ASCII', async () => {
  expect(existsSync(bundle), 'run `npx electron-vite build` first').toBe(true);
  const files = (await readdir(bundle, { recursive: true })).filter((name) => name.endsWith('.cjs'));
  expect(files.length).toBeGreaterThan(1);
  const offending: string[] = [];
  for (const name of files) {
    const text = await readFile(join(bundle, name), 'utf8');
    const at = text.search(/[\u0080-\uffff]/);
    if (at >= 0) {
      const line = text.slice(0, at).split('\n').length;
      offending.push(`${relative(bundle, join(bundle, name))}:${line}: ${JSON.stringify(text[at])}`);
    }
  }
  expect(offending).toEqual([]);
});
