// zod/mini loads no locale, and classic zod (which loaded the English one on import) is no longer on the
// CLI's path (issue 11): without src/shared/zod-english.ts a file problem would read "Invalid input" where
// it named the expected type. This file loads json-file and zod/mini alone, never classic zod.
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { parseVersioned, type FileSpec } from '../../../src/main/storage/json-file';

const spec: FileSpec<{ name: string; tags: string[] }> = {
  kind: 'spokesmith.test',
  version: 1,
  schema: z.strictObject({ name: z.string(), tags: z.array(z.string()) }),
};

describe('file problems from zod/mini schemas', () => {
  it('read in English, naming what was expected', async () => {
    const text = JSON.stringify({ kind: spec.kind, version: 1, data: { name: 3, tags: 'x', extra: 1 } });
    const result = await parseVersioned('/nowhere/list.json', text, spec, { unusable: 'leave' });
    expect(result).toMatchObject({
      ok: false,
      problem: {
        message:
          'list.json has invalid values: name: Invalid input: expected string, received number; ' +
          'tags: Invalid input: expected array, received string; (root): Unrecognized key: "extra".',
      },
    });
  });
});
