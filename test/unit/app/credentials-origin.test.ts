// Issue 9 item 1 and issue 12 items 3 and 9, through the app's real IPC router and the CLI's main():
// a stored password is only ever sent to the origin it was verified for; a successful Test connection
// leaves a not-checked instance "ready"; the CLI's default concurrency is the one the app uses.
import { afterEach, describe, expect, it } from 'vitest';
import type { InstanceView } from '../../../src/shared/ipc/contract';
import { DEFAULT_CONCURRENCY } from '../../../src/main/operations';
import { openWorkspace } from '../../../src/main/workspace';
import { main } from '../../../src/main/cli/index';
import { testIo } from '../cli/helpers';
import { startHarness, type Harness } from './harness';

let harness: Harness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

describe('stored secrets follow no URL (issue 9, item 1)', () => {
  it('an edit that points the instance at another host asks for the password again and sends nothing there', async () => {
    harness = await startHarness(2);
    const [a, b] = harness.sims;
    const id = harness.ids[0]!;
    b!.clearLog();
    const result = await harness.call('app:instances:save', {
      id,
      name: 'Customer 1',
      url: b!.url,
      authMethod: 'basic',
      username: a!.users.admin.userName,
    });
    expect(result).toMatchObject({ ok: false, code: 'invalid_input' });
    if (result.ok) throw new Error('expected a refusal');
    expect(result.message).toContain('enter the password again');
    expect(result.message).toContain(new URL(a!.url).origin);
    expect(result.details).toEqual([{ path: 'password', message: result.message }]);
    // Nothing reached the other host, and the instance still points where its password was stored.
    expect(b!.log).toEqual([]);
    const list = (await harness.ok('app:instances:list', {})) as InstanceView[];
    expect(list.find((i) => i.id === id)?.url).toBe(a!.url);
  });

  it('with the password typed again, the edit is verified against the new host and stored for it', async () => {
    harness = await startHarness(2);
    const [, b] = harness.sims;
    const id = harness.ids[0]!;
    const saved = (await harness.ok('app:instances:save', {
      id,
      name: 'Customer 1',
      url: b!.url,
      authMethod: 'basic',
      username: b!.users.admin.userName,
      password: b!.users.admin.password,
    })) as InstanceView;
    expect(saved.url).toBe(b!.url);
    const stored = JSON.parse((await harness.core.deps.secrets.store.get(id))!) as { origin: string };
    expect(stored.origin).toBe(new URL(b!.url).origin);
  });

  it('a URL changed behind the app (a hand-edited or merged instances.json) gets no stored password', async () => {
    harness = await startHarness(2);
    const [a, b] = harness.sims;
    const id = harness.ids[0]!;
    // Another process (a teammate's git pull, a script) rewrites the entry's URL.
    const other = await openWorkspace(harness.core.deps.home.current().dir);
    await other.instances.save({
      id,
      name: 'Customer 1',
      url: b!.url,
      authMethod: 'basic',
      username: 'admin',
    });
    await harness.core.deps.home.current().reload();
    b!.clearLog();
    const result = await harness.call('app:instances:test', { id });
    expect(result).toMatchObject({ ok: false, code: 'keychain' });
    if (result.ok) throw new Error('expected a refusal');
    expect(result.message).toContain(new URL(a!.url).origin);
    expect(result.message).toContain('enter the password again');
    expect(b!.log).toEqual([]);
  });
});

describe('Test connection (issue 12, item 3)', () => {
  it('after a successful test the instance is no longer "not checked"', async () => {
    harness = await startHarness(1);
    const id = harness.ids[0]!;
    const before = (await harness.ok('app:instances:list', {})) as InstanceView[];
    expect(before[0]!.status).toBe('not_checked');
    const test = await harness.ok('app:instances:test', { id });
    expect(test).toMatchObject({ ok: true, userName: harness.sims[0]!.users.admin.userName });
    const after = (await harness.ok('app:instances:list', {})) as InstanceView[];
    expect(after[0]).toMatchObject({ status: 'ready', statusMessage: test.message });
  });
});

describe('one default concurrency (issue 12, item 9)', () => {
  it('the CLI offers the default the app and the fleet use, 8 as the README says', async () => {
    expect(DEFAULT_CONCURRENCY).toBe(8);
    const io = testIo();
    expect(await main(['apply', '--help'], io)).toBe(0);
    expect(io.stdout.text().replace(/\s+/g, ' ')).toContain(`default: ${DEFAULT_CONCURRENCY})`);
  });
});
