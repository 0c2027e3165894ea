// Every command's --help shows examples, and `spokesmith --help` lists every command: walked from the
// program itself, so a command added later without examples fails here.
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/main/cli/index';
import { buildProgram } from '../../../src/main/cli/program';
import { testIo } from './helpers';

function commandPaths(command: Command, prefix: string[] = []): string[][] {
  return command.commands.flatMap((c) => {
    const path = [...prefix, c.name()];
    return [path, ...commandPaths(c, path)];
  });
}

const io = testIo();
const program = buildProgram(
  io,
  () => Promise.reject(new Error('listing the commands runs none of them')),
  () => undefined,
);
const paths = commandPaths(program);

async function help(args: string[]): Promise<{ code: number; stdout: string }> {
  const run = testIo();
  const code = await main([...args, '--help'], run);
  return { code, stdout: run.stdout.text() };
}

describe('--help', () => {
  it('spokesmith --help lists every command', async () => {
    const { code, stdout } = await help([]);
    expect(code).toBe(0);
    for (const name of program.commands.map((c) => c.name()))
      expect(stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    for (const name of [
      'discover',
      'plan',
      'apply',
      'resume',
      'rollback',
      'history',
      'report',
      'drift',
      'instances',
      'templates',
      'queue',
      'demo',
      'sim',
    ]) {
      expect(stdout, name).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    }
    expect(stdout).toContain('Exit codes:');
  });

  it.each(paths.map((p) => [p.join(' '), p]))(
    'spokesmith %s --help shows examples of itself',
    async (_label, path) => {
      const { code, stdout } = await help(path as string[]);
      expect(code).toBe(0);
      expect(stdout).toContain(`Usage: spokesmith ${(path as string[]).join(' ')}`);
      expect(stdout).toContain('Examples:');
      expect(stdout).toContain(`$ spokesmith ${(path as string[])[0]}`);
    },
  );

  it('groups list their subcommands', async () => {
    expect((await help(['instances'])).stdout).toMatch(
      /list[\s\S]*add[\s\S]*remove[\s\S]*import[\s\S]*export/,
    );
    expect((await help(['templates'])).stdout).toMatch(/list[\s\S]*import[\s\S]*export/);
    expect((await help(['queue'])).stdout).toMatch(/list[\s\S]*run/);
  });

  it('drift documents its exit codes', async () => {
    expect((await help(['drift'])).stdout).toMatch(/0 every instance checked matches[\s\S]*1 drift found/);
  });
});
