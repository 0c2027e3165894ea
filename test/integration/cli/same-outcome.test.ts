// One table, three front ends (issue 8): each outcome of an apply — provisioned, up to date, not ready
// (spoke missing, alias missing, no admin role), unreachable → queued, failed — run through the app's
// services (IPC router), the CLI's single apply (main(argv, io)) and a fleet run (the CLI's apply --all,
// through runMany) leaves the same status, status message, snapshot, queue entry and records.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDesiredState } from '../../../src/shared/domain/desired-state';
import type { InstanceStatus } from '../../../src/shared/ipc/contract';
import { runMany } from '../../../src/main/fleet';
import { createServiceNowClient } from '../../../src/main/servicenow';
import { startSimulator, type Simulator } from '../../../src/main/simulator';
import { instanceIdFromUrl, openWorkspace } from '../../../src/main/workspace';
import { startHarness } from '../../unit/app/harness';
import { runCli } from './harness';

const NAME = 'Customer 1';

interface Case {
  outcome: string;
  /** Puts the instance in the state the outcome needs (after it was saved, before the apply). */
  setup(sim: Simulator): Promise<void> | void;
  status: InstanceStatus;
}

const CASES: Case[] = [
  { outcome: 'provisioned', setup: () => undefined, status: 'provisioned' },
  {
    outcome: 'up to date',
    async setup(sim) {
      // Provisioned earlier from elsewhere (another machine's workspace): nothing left to write.
      const dir = await mkdtemp(join(tmpdir(), 'spokesmith-elsewhere-'));
      const workspace = await openWorkspace(dir);
      const client = createServiceNowClient({
        instanceUrl: sim.url,
        auth: { kind: 'basic', username: sim.users.admin.userName, password: sim.users.admin.password },
      });
      await runMany({
        targets: [{ instanceId: 'elsewhere', client, desired: defaultDesiredState() }],
        workspace,
      });
      client.close();
      await rm(dir, { recursive: true, force: true });
    },
    status: 'provisioned',
  },
  { outcome: 'not ready: spoke missing', setup: (sim) => sim.reset('no-spoke'), status: 'spoke_missing' },
  {
    outcome: 'not ready: alias missing',
    setup(sim) {
      for (const alias of sim.db.filter('sys_alias', (r) => (r.name ?? '').includes('Exchange'))) {
        sim.db.delete('sys_alias', alias.sys_id!);
      }
    },
    status: 'spoke_missing',
  },
  { outcome: 'not ready: no admin role', setup: (sim) => sim.reset('non-admin'), status: 'failed' },
  {
    outcome: 'unreachable → queued',
    setup: (sim) => void sim.faults.add({ kind: 'hibernate' }),
    status: 'not_checked',
  },
  {
    outcome: 'failed',
    setup: (sim) =>
      void sim.faults.add({
        kind: 'forbidden',
        match: { method: 'POST', pathIncludes: '/api/now/table/' },
        message: 'Blocked by rule',
      }),
    status: 'failed',
  },
];

interface Left {
  status: InstanceStatus;
  statusMessage: string | null;
  snapshot: boolean;
  queued: number;
  connections: number;
}

async function leftIn(workspaceDir: string, sim: Simulator): Promise<Left> {
  const workspace = await openWorkspace(workspaceDir);
  const id = instanceIdFromUrl(sim.url);
  const instance = workspace.instances.get(id)!;
  return {
    status: instance.status,
    statusMessage: instance.statusMessage,
    snapshot: (await workspace.snapshots.latest(id)) !== null,
    queued: workspace.queue.read().filter((e) => e.status === 'waiting' && e.instanceId === id).length,
    connections: sim.db.rows('http_connection').length,
  };
}

/** The app: its own userData and workspace, the instance saved through the form, Apply pressed. */
async function viaApp(c: Case): Promise<Left> {
  const h = await startHarness(1);
  try {
    const sim = h.sims[0]!;
    await c.setup(sim);
    const desired = defaultDesiredState();
    await h.call('app:apply:run', { id: h.ids[0]!, main: desired.main, clientCred: desired.clientCred });
    return await leftIn(h.core.deps.home.current().dir, sim);
  } finally {
    await h.close();
  }
}

/** The CLI: `instances add`, then `apply NAME` (single) or `apply --all` (a fleet run of one). */
async function viaCli(c: Case, args: string[]): Promise<Left> {
  const sim = await startSimulator({ scenario: 'fresh', port: 0, host: '127.0.0.1' });
  const workspace = await mkdtemp(join(tmpdir(), 'spokesmith-same-'));
  try {
    const env = {
      SN_PASSWORD: sim.users.admin.password,
      SPOKESMITH_WORKSPACE: workspace,
      SPOKESMITH_SECRET_STORE: 'memory',
    };
    const add = await runCli(
      ['instances', 'add', NAME, '--url', sim.url, '--user', sim.users.admin.userName],
      {
        env,
      },
    );
    expect(add.code, add.stderr).toBe(0);
    await c.setup(sim);
    await runCli([...args, '--yes', '--queue'], { env });
    return await leftIn(workspace, sim);
  } finally {
    await sim.close();
    await rm(workspace, { recursive: true, force: true });
  }
}

describe('the same outcome leaves the same status and files from every front end', () => {
  for (const c of CASES) {
    it(
      c.outcome,
      async () => {
        const app = await viaApp(c);
        const cli = await viaCli(c, ['apply', NAME]);
        const fleet = await viaCli(c, ['apply', '--all']);
        expect(app.status).toBe(c.status);
        expect({ cli, fleet }).toEqual({ cli: app, fleet: app });
        if (c.outcome.startsWith('unreachable')) {
          expect(app.queued).toBe(1);
          expect(app.statusMessage).toBe(
            `${NAME} is hibernating: the apply is queued and runs when it answers.`,
          );
        }
      },
      60_000,
    );
  }
});
