// The CLI with the REAL keychain (gnome-keyring in a private D-Bus session, see with-secret-service.sh):
// `spokesmith instances add` verifies the password, stores it in the keychain and nowhere else; a later
// `plan` by name signs in with it, without SN_PASSWORD; `instances remove` deletes it again.
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Keytar from 'keytar';
import { KEYCHAIN_SERVICE } from '../../src/main/secrets/secret-store';
import { startSimulator, type Simulator } from '../../src/main/simulator';
import { runCli } from '../integration/cli/harness';

const REAL = Boolean(process.env.SPOKESMITH_KEYCHAIN_REAL);

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    if ((await stat(path)).isDirectory()) out.push(...(await filesUnder(path)));
    else out.push(path);
  }
  return out;
}

describe.skipIf(!REAL)('the CLI keeps instance passwords in the real OS keychain', () => {
  let sim: Simulator;
  let workspace: string;
  // The real module, for what the app's narrow KeytarLike does not need (listing the service's entries).
  let keytar: typeof Keytar;
  beforeAll(async () => {
    sim = await startSimulator({ scenario: 'fresh', port: 0 });
    workspace = await mkdtemp(join(tmpdir(), 'spokesmith-cli-keychain-'));
    keytar = (await import('keytar')).default;
  });
  afterAll(async () => {
    await sim.close();
    await rm(workspace, { recursive: true, force: true });
  });

  it('add stores it after one sign-in; plan by name uses it; remove deletes it', async () => {
    const password = sim.users.admin.password;
    const added = await runCli(['instances', 'add', 'Keychain Co', '--url', sim.url, '--user', 'admin'], {
      env: { SN_PASSWORD: password, SPOKESMITH_WORKSPACE: workspace },
    });
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain('the password is stored in the OS keychain');

    const stored = await keytar.findCredentials(KEYCHAIN_SERVICE);
    const entry = stored.find((c) => c.password.includes(password));
    expect(entry, 'an entry of the "Spokesmith" service holds the password').toBeDefined();
    for (const file of await filesUnder(workspace)) {
      expect(await readFile(file, 'utf8'), file).not.toContain(password);
    }

    // No SN_PASSWORD now: the password can only come from the keychain.
    sim.clearLog();
    const planned = await runCli(['plan', 'Keychain Co', '--json'], {
      env: { SPOKESMITH_WORKSPACE: workspace },
    });
    expect(planned.code, planned.stderr).toBe(0);
    expect(JSON.parse(planned.stdout).actions).toHaveLength(4);
    expect(sim.log.some((e) => e.status === 200 && e.user === 'admin')).toBe(true);

    const removed = await runCli(['instances', 'remove', 'Keychain Co'], {
      env: { SPOKESMITH_WORKSPACE: workspace },
    });
    expect(removed.code, removed.stderr).toBe(0);
    expect(await keytar.getPassword(KEYCHAIN_SERVICE, entry!.account)).toBeNull();
  });
});
