// Starts everything the window talks to, without Electron: log file, secret store, workspace, the demo
// instance, and the services behind every IPC channel. src/main/index.ts calls this and only adds the
// Electron adapters (dialogs, shell, window events); tests call it directly.
import { join } from 'node:path';
import { createFileSink, createLogger, type Logger } from '../log';
import { openSecretStore } from '../secrets/open-secret-store';
import type { QueueSchedule, Reachability } from '../fleet';
import type { IpcServices } from '../ipc/router';
import type { ServiceNowClient } from '../servicenow';
import { openInstanceClient } from './context';
import { ensureDemoInstance, type DemoStarter } from './demo';
import type { AppDeps, EmitEvent } from './deps';
import { createQueueHost } from './queue-host';
import { createAppServices } from './services';
import { openWorkspaceHome } from './workspace-home';
import { followWorkspaceChanges } from './workspace-watch';

export interface AppCoreOptions {
  userDataDir: string;
  version: string;
  /** Skip the OS keychain (tests; SPOKESMITH_SECRET_STORE=memory in development). */
  forceMemorySecrets: boolean;
  /** Starts the embedded demo instance; null to run without one. */
  startDemo: DemoStarter | null;
  emit: EmitEvent;
  chooseSavePath: AppDeps['chooseSavePath'];
  /** The file to import; defaults to "cancelled" (no dialog). */
  chooseOpenPath?: AppDeps['chooseOpenPath'];
  /** A workspace folder; defaults to "cancelled" (no dialog). */
  chooseFolder?: AppDeps['chooseFolder'];
  openExternal: AppDeps['openExternal'];
  /** The offline queue's probe backoff (tests shorten it); default 5 s doubling up to 5 min. */
  queueBackoff?: { initialMs: number; maxMs: number };
  /** The offline queue's reachability probe (default: one cheap authenticated GET). */
  queueProbe?: (client: ServiceNowClient) => Promise<Reachability>;
  /** When the offline queue's backoff timer runs (default: a real timer; tests pass one they control). */
  queueSchedule?: QueueSchedule;
  /** Defaults to a JSON-lines file in userData/logs. */
  logger?: Logger;
  now?: () => Date;
}

export interface AppCore {
  services: IpcServices;
  deps: AppDeps;
  logger: Logger;
  close(): Promise<void>;
}

export async function startAppCore(options: AppCoreOptions): Promise<AppCore> {
  const sink = options.logger ? null : createFileSink(join(options.userDataDir, 'logs', 'main.log'));
  const logger = options.logger ?? createLogger({ sink: sink! });
  const now = options.now ?? (() => new Date());

  const secrets = await openSecretStore({ forceMemory: options.forceMemorySecrets });
  if (!secrets.available) logger.warn('No OS keychain', { message: secrets.message });

  const home = await openWorkspaceHome({ userDataDir: options.userDataDir, now });
  for (const problem of [...home.notes(), ...home.current().problems]) {
    logger.warn('Workspace file problem', { file: problem.file, reason: problem.reason });
  }

  const demoHandle = options.startDemo
    ? await options
        .startDemo({ stateFile: join(options.userDataDir, 'demo', 'instance.json') })
        .catch((error: unknown) => {
          // The app still works without the demo; say why it is missing.
          logger.error('The demo instance did not start', { error: String(error) });
          return null;
        })
    : null;
  const demo = demoHandle ? await ensureDemoInstance(home.current(), demoHandle) : null;
  if (demo) logger.registerSecret(demo.auth.password);
  if (demo?.entra) logger.registerSecret(demo.entra.secret);
  // The demo instance is listed in whichever workspace the user points at.
  if (demoHandle)
    home.onSwitch((workspace) => ensureDemoInstance(workspace, demoHandle).then(() => undefined));

  const queue = createQueueHost({
    home,
    // `deps` is complete before the queue first connects (it starts below).
    connect: (id) => openInstanceClient(deps, id),
    emit: options.emit,
    logger,
    now,
    secrets: secrets.store,
    ...(options.queueBackoff ? { backoff: options.queueBackoff } : {}),
    ...(options.queueProbe ? { probe: options.queueProbe } : {}),
    ...(options.queueSchedule ? { schedule: options.queueSchedule } : {}),
  });

  const deps: AppDeps = {
    home,
    userDataDir: options.userDataDir,
    queue,
    secrets,
    demo,
    logger,
    emit: options.emit,
    chooseSavePath: options.chooseSavePath,
    chooseOpenPath: options.chooseOpenPath ?? (async () => null),
    chooseFolder: options.chooseFolder ?? (async () => null),
    openExternal: options.openExternal,
    now,
    version: options.version,
  };
  const services = createAppServices(deps);
  queue.start();
  const unwatch = followWorkspaceChanges({ home, queue, emit: options.emit, logger });
  return {
    services,
    deps,
    logger,
    async close() {
      unwatch();
      // Let a queued apply that is writing finish (its journal makes a kill safe too), then stop probing.
      await queue
        .stop()
        .catch((error: unknown) => logger.error('Queue stop failed', { error: String(error) }));
      await demoHandle?.close().catch(() => undefined);
      sink?.close();
    },
  };
}
