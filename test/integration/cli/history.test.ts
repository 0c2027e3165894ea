// `spokesmith history` (applies with counts) and `spokesmith report --apply ID` (default the last).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, runCli, type Fixture } from './harness';

let fx: Fixture;
let dir: string;
beforeEach(async () => {
  fx = await fixture('fresh');
  dir = await mkdtemp(join(tmpdir(), 'spokesmith-cli-hist-'));
});
afterEach(async () => {
  await fx.close();
  await rm(dir, { recursive: true, force: true });
});

interface HistoryJson {
  applies: Array<{
    apply_id: string;
    kind: string;
    status: string;
    created: number;
    updated: number;
    deleted: number;
    verified: boolean | null;
  }>;
}

describe('history and report', () => {
  it('lists applies and rollbacks newest first with counts; report picks one by id', async () => {
    const empty = await runCli(['history', fx.sim.url], { env: fx.env });
    expect(empty.code).toBe(0);
    expect(empty.stdout).toContain('No apply is recorded');

    expect((await runCli(['apply', fx.sim.url, '--yes'], { env: fx.env })).code).toBe(0);
    expect((await runCli(['rollback', fx.sim.url, '--yes'], { env: fx.env })).code).toBe(0);
    const json = JSON.parse(
      (await runCli(['history', fx.sim.url, '--json'], { env: fx.env })).stdout,
    ) as HistoryJson;
    // The rollback's four deletions are counted (issue 12: it showed "created 0 updated 0 failed 0").
    expect(json.applies.map((a) => [a.kind, a.status, a.created, a.deleted, a.verified])).toEqual([
      ['rollback', 'succeeded', 0, 4, true],
      ['apply', 'succeeded', 4, 0, true],
    ]);
    const text = await runCli(['history', fx.sim.url], { env: fx.env });
    expect(text.stdout).toMatch(/2 recorded run\(s\)/);
    expect(text.stdout).toMatch(
      new RegExp(
        `${json.applies[1]!.apply_id}\\s+apply\\s+succeeded\\s+\\S+ \\S+\\s+4\\s+0\\s+0\\s+0\\s+yes`,
      ),
    );
    expect(text.stdout).toMatch(/\bstarted \(UTC\)\s+created\s+updated\s+deleted\s+failed\b/);
    expect(text.stdout).toMatch(
      new RegExp(
        `${json.applies[0]!.apply_id}\\s+rollback\\s+succeeded\\s+\\S+ \\S+\\s+0\\s+0\\s+4\\s+0\\s+yes`,
      ),
    );

    const applyId = json.applies[1]!.apply_id;
    const out = join(dir, 'r.json');
    const r = await runCli(['report', fx.sim.url, '--apply', applyId, '--format', 'json', '--out', out], {
      env: fx.env,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(await readFile(out, 'utf8')).toContain(applyId);

    const unknown = await runCli(['report', fx.sim.url, '--apply', 'nope', '--out', out], { env: fx.env });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No apply "nope"');
    expect(unknown.stderr).toContain('spokesmith history');
  });

  it('suggests commands a shell takes as they are: an instance name with a space is quoted', async () => {
    // Issue 12 walk: "spokesmith report Acme Dev --apply …" runs as two arguments and fails.
    const add = await runCli(['instances', 'add', 'Acme Dev', '--url', fx.sim.url, '--user', 'admin'], {
      env: fx.env,
    });
    expect(add.code, add.stderr).toBe(0);
    expect((await runCli(['apply', 'Acme Dev', '--yes'], { env: fx.env })).code).toBe(0);
    const text = await runCli(['history', 'Acme Dev'], { env: fx.env });
    expect(text.stdout).toContain('spokesmith report "Acme Dev" --apply <apply> --format html');
    const unknown = await runCli(['report', 'Acme Dev', '--apply', 'nope', '--out', join(dir, 'r.html')], {
      env: fx.env,
    });
    expect(unknown.stderr).toContain('spokesmith history "Acme Dev" lists them');
  });
});
