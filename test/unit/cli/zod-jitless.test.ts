// A command parses with each zod schema a few times and exits, so src/main/cli/context.ts turns off zod's
// compiled parsers for the command line (issue 11). This checks that a command's context leaves zod
// interpreting, and that the answers are the same both ways.
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { globalConfig } from 'zod/v4/core';

describe("the command line's zod settings", () => {
  it('turn compiled parsers off once a command opens its context', async () => {
    const schema = z.object({ name: z.string().min(1), active: z.boolean() });
    const compiled = [
      schema.safeParse({ name: 'x', active: true }),
      schema.safeParse({ name: '', active: 1 }),
    ];
    expect(globalConfig.jitless).not.toBe(true);
    await import('../../../src/main/cli/context');
    expect(globalConfig.jitless).toBe(true);
    const fresh = z.object({ name: z.string().min(1), active: z.boolean() });
    const interpreted = [
      fresh.safeParse({ name: 'x', active: true }),
      fresh.safeParse({ name: '', active: 1 }),
    ];
    expect(interpreted.map((r) => r.success)).toEqual(compiled.map((r) => r.success));
    expect(interpreted[1]!.error!.issues.map((i) => i.path)).toEqual(
      compiled[1]!.error!.issues.map((i) => i.path),
    );
  });
});
