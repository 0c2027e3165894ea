// The renderer checks instance and template names without zod (to keep the contract's schemas out of its
// bundle): these must say exactly what the contract's schemas say, which main applies again on save.
import { describe, it, expect } from 'vitest';
import { InstanceInputSchema } from '../../src/shared/ipc/contract';
import { TemplateNameSchema } from '../../src/shared/workspace/schemas';
import {
  instanceNameProblem,
  templateNameProblem,
  userNameProblem,
} from '../../src/renderer/src/lib/input-rules';

function schemaProblem(field: 'name' | 'username', value: string): string | null {
  const input = { name: 'Acme', url: 'https://acme.service-now.com', authMethod: 'basic', username: 'admin' };
  const parsed = InstanceInputSchema.safeParse({ ...input, [field]: value });
  return parsed.success ? null : (parsed.error.issues.find((i) => i.path[0] === field)?.message ?? null);
}

const TEXTS = [
  '',
  ' ',
  '\t\n',
  'A',
  ' Acme Dev ',
  'x'.repeat(80),
  ` ${'x'.repeat(80)} `,
  'x'.repeat(81),
  'Ünïcode ✓',
];

describe('renderer input rules = the IPC contract’s', () => {
  it('instance name', () => {
    for (const text of TEXTS)
      expect(instanceNameProblem(text), JSON.stringify(text)).toBe(schemaProblem('name', text));
  });

  it('user name', () => {
    for (const text of TEXTS)
      expect(userNameProblem(text), JSON.stringify(text)).toBe(schemaProblem('username', text));
  });

  it('template name', () => {
    const names = [
      ...TEXTS,
      'ACME',
      'acme.v2',
      'acme_v-2',
      '.hidden',
      '-x',
      'a/b',
      'a b',
      'x'.repeat(64),
      'x'.repeat(65),
    ];
    for (const name of names) {
      const parsed = TemplateNameSchema.safeParse(name);
      expect(templateNameProblem(name), JSON.stringify(name)).toBe(
        parsed.success ? null : (parsed.error.issues[0]?.message ?? null),
      );
    }
  });
});
