// Starts everything the window talks to, without Electron: log file, secret store, workspace, the demo
// instance, and the services behind every IPC channel. src/main/index.ts calls this and only adds the
// Electron adapters (dialogs, shell, window events); tests call it directly.
import { join } from 'node:path';
import { createFileSink, createLogger, type Logger } from '../log';
import { openSecretStore } from '../secrets/open-secret-store';
import { openWorkspace } from '../workspace';
import type { IpcServices } from '../ipc/router';
import { ensureDemoInstance, type DemoStarter } from './demo';
import type { AppDeps, EmitEvent, EnginePort } from './ports';
import { createAppServices } from './services';
import { workspacePort } from './workspace-port';

export interface AppCoreOptions {
  userDataDir: string;
  version: string;
  /** Skip the OS keychain (tests; SPOKESMITH_SECRET_STORE=memory in development). */
  forceMemorySecrets: boolean;
  engine: EnginePort;
  /** Starts the embedded demo instance; null to run without one. */
  startDemo: DemoStarter | null;
  emit: EmitEvent;
  chooseSavePath: AppDeps['chooseSavePath'];
  openExternal: AppDeps['openExternal'];
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

  const workspace = workspacePort(await openWorkspace(join(options.userDataDir, 'workspace'), { now }));

  const demoHandle = options.startDemo
    ? await options
        .startDemo({ stateFile: join(options.userDataDir, 'demo', 'instance.json') })
        .catch((error: unknown) => {
          // The app still works without the demo; say why it is missing.
          logger.error('The demo instance did not start', { error: String(error) });
          return null;
        })
    : null;
  const demo = demoHandle ? await ensureDemoInstance(workspace, demoHandle) : null;
  if (demo) logger.registerSecret(demo.auth.password);

  const deps: AppDeps = {
    workspace,
    engine: options.engine,
    secrets,
    demo,
    logger,
    emit: options.emit,
    chooseSavePath: options.chooseSavePath,
    openExternal: options.openExternal,
    now,
    version: options.version,
  };
  return {
    services: createAppServices(deps),
    deps,
    logger,
    async close() {
      await demoHandle?.close().catch(() => undefined);
      sink?.close();
    },
  };
}
