// The embedded demo instance: the simulator runs inside the main process (its records kept in a state
// file in userData, so they survive restarts) and is listed as an instance, so a new user can try every
// step offline.
import { byId } from '../operations';
import type { Workspace } from '../workspace';
import type { DemoInstance } from './deps';

// Not `demo` (the id of a real https://demo.service-now.com instance), and not containing the demo
// password (`spokesmith-demo`): the logger masks that password wherever it appears.
export const DEMO_INSTANCE_ID = 'local-demo';
export const DEMO_INSTANCE_NAME = 'Demo instance (built-in)';

/** The simulator's stand-in for Entra ID and its demo app (public demo values, like the password). */
export interface DemoEntra {
  /** `<simulator origin>/entra`: the Entra check asks it in place of login.microsoftonline.com. */
  authority: string;
  tenant: string;
  clientId: string;
  secret: string;
}

export interface DemoHandle {
  url: string;
  username: string;
  password: string;
  /** Absent for a demo without the stand-in: the demo instance's check then asks the settings' authority. */
  entra?: DemoEntra;
  close(): Promise<void>;
}

export type DemoStarter = (options: { stateFile: string }) => Promise<DemoHandle>;

/**
 * Lists the demo instance in the workspace, at this run's simulator URL (its port changes between runs;
 * its id does not, so drafts and history stay attached to it).
 */
export async function ensureDemoInstance(
  workspace: Workspace,
  demo: DemoHandle,
): Promise<DemoInstance | null> {
  const existing = byId(workspace, DEMO_INSTANCE_ID);
  // Never overwrite a real instance that happens to have this id.
  if (existing && !existing.isDemo) return null;
  await workspace.instances.save({
    id: DEMO_INSTANCE_ID,
    name: existing?.name ?? DEMO_INSTANCE_NAME,
    url: demo.url,
    authMethod: 'basic',
    username: demo.username,
    isDemo: true,
    ...(existing?.variables ? { variables: existing.variables } : {}),
    ...(existing?.template ? { template: existing.template } : {}),
  });
  return {
    instanceId: DEMO_INSTANCE_ID,
    url: demo.url,
    auth: { kind: 'basic', username: demo.username, password: demo.password },
    ...(demo.entra ? { entra: demo.entra } : {}),
  };
}
