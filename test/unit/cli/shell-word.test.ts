import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellWord } from '../../../src/main/cli/output/shell-word';

describe('shellWord', () => {
  it('leaves plain names and URLs as they are', () => {
    expect(shellWord('acme-dev')).toBe('acme-dev');
    expect(shellWord('https://acme.service-now.com')).toBe('https://acme.service-now.com');
  });

  it.each(['Acme Dev', 'Acme "prod" $HOME `id` \\ end', "O'Neil & Co; rm -rf x", ''])(
    'quotes %j so that a shell passes it back as one argument, unchanged',
    (name) => {
      const word = shellWord(name);
      expect(word).not.toBe(name);
      const echoed = execFileSync('/bin/sh', ['-c', `printf '%s' ${word}`], { encoding: 'utf8' });
      expect(echoed).toBe(name);
    },
  );
});
