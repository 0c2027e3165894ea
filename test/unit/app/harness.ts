// An app core over real simulators, driven through the real IPC router (no Electron, no mocks): what the
// window would see. Each harness has its own temp userData folder and its own simulators on port 0.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  ChannelInput,
  ChannelName,
  ChannelOutput,
  ChannelResult,
  EventName,
  EventPayloads,
  InstanceView,
} from '../../../src/shared/ipc/contract';
import { startAppCore, type AppCore, type AppCoreOptions } from '../../../src/main/app/bootstrap';
import { createIpcRouter, type IpcRouter } from '../../../src/main/ipc/router';
import { startSimulator, type Simulator } from '../../../src/main/simulator';

const TRUSTED = { sender: { id: 1 }, senderFrame: { url: 'app://spokesmith/index.html', parent: null } };

export interface Harness {
  userDataDir: string;
  core: AppCore;
  router: IpcRouter;
  sims: Simulator[];
  /** Instance ids, in the order of `sims`. */
  ids: string[];
  events: { event: EventName; payload: unknown }[];
  eventsOf<E extends EventName>(event: E): EventPayloads[E][];
  call<C extends ChannelName>(
    channel: C,
    input: ChannelInput<C> | Record<string, unknown>,
  ): Promise<ChannelResult<C>>;
  /** The value of an ok answer; throws with the code and message otherwise. */
  ok<C extends ChannelName>(
    channel: C,
    input: ChannelInput<C> | Record<string, unknown>,
  ): Promise<ChannelOutput<C>>;
  /** Stops the core and starts a new one on the same userData (a restart). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export type HarnessOptions = Partial<
  Pick<AppCoreOptions, 'chooseSavePath' | 'chooseOpenPath' | 'chooseFolder' | 'queueBackoff'>
>;

export async function startHarness(simCount: number, options: HarnessOptions = {}): Promise<Harness> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'spokesmith-app2-'));
  const sims = await Promise.all(
    Array.from({ length: simCount }, () => startSimulator({ scenario: 'fresh', port: 0 })),
  );
  const events: { event: EventName; payload: unknown }[] = [];
  const start = () =>
    startAppCore({
      userDataDir,
      version: 'test',
      forceMemorySecrets: true,
      startDemo: null,
      emit: (event, payload) => void events.push({ event, payload }),
      chooseSavePath: options.chooseSavePath ?? (async () => null),
      ...(options.chooseOpenPath ? { chooseOpenPath: options.chooseOpenPath } : {}),
      ...(options.chooseFolder ? { chooseFolder: options.chooseFolder } : {}),
      // Long by default: a test drains the queue itself unless it asks for the timer.
      queueBackoff: options.queueBackoff ?? { initialMs: 600_000, maxMs: 600_000 },
      openExternal: async () => undefined,
    });
  const routerFor = (core: AppCore) =>
    createIpcRouter({ services: core.services, isTrustedSender: () => ({ ok: true }), logger: core.logger });

  let core = await start();
  let router = routerFor(core);
  const harness: Harness = {
    userDataDir,
    get core() {
      return core;
    },
    get router() {
      return router;
    },
    sims,
    ids: [],
    events,
    eventsOf: <E extends EventName>(event: E) =>
      events.filter((e) => e.event === event).map((e) => e.payload as EventPayloads[E]),
    call: (channel, input) => router.handle(channel, TRUSTED, input),
    async ok(channel, input) {
      const result = await router.handle(channel, TRUSTED, input);
      if (!result.ok) throw new Error(`${channel}: expected ok, got ${result.code}: ${result.message}`);
      return result.value;
    },
    async restart() {
      await core.close();
      core = await start();
      router = routerFor(core);
    },
    async close() {
      await core.close();
      // The memory secret store of a restarted core is empty; nothing else to clean up there.
      await Promise.all(sims.map((s) => s.close()));
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
  // Saving verifies the credentials against the simulator: the instances are real, with stored secrets.
  for (const [index, sim] of sims.entries()) {
    const view = (await harness.ok('app:instances:save', {
      name: `Customer ${index + 1}`,
      url: sim.url,
      authMethod: 'basic',
      username: sim.users.admin.userName,
      password: sim.users.admin.password,
    })) as InstanceView;
    harness.ids.push(view.id);
  }
  return harness;
}

export function connectionNames(sim: Simulator): string[] {
  return sim.db
    .rows('http_connection')
    .map((r) => r.name ?? '')
    .sort();
}

/** Polls until `check` holds (the queue drains on its own timer); fails after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('The condition did not hold in time.');
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const EXPECTED_CONNECTIONS = ['Exchange_Online_Connection', 'Exchange_Online_Connection_clientCred'];
