// Shared set-up for the Entra app's operation tests: the embedded instance (engine harness), a workspace
// with the instance saved, an in-memory keychain holding the stand-in Entra app's secret, and a desired
// state with that Entra app.
import { applyInstance, type ApplyRequest } from '../../../src/main/operations';
import { saveEntraSecret } from '../../../src/main/secrets/entra-secret';
import { MemorySecretStore } from '../../../src/main/secrets/memory-store';
import type { SimulatorOptions } from '../../../src/main/simulator';
import type { Workspace } from '../../../src/main/workspace';
import { defaultDesiredState, type DesiredState } from '../../../src/shared/domain/desired-state';
import { startHarness, workspaceWithInstance, type Harness } from '../engine/harness';

export interface EntraSetup {
  h: Harness;
  workspace: Workspace;
  instanceId: string;
  secrets: MemorySecretStore;
  desired: DesiredState;
  /** The stand-in token endpoint's authority (`<sim>/entra`). */
  authority: string;
}

export async function entraSetup(
  options: {
    /** 'demo': the stand-in app's secret; null: none in the keychain. */
    secret?: string | null;
    client?: Parameters<typeof startHarness>[1];
    sim?: Omit<SimulatorOptions, 'scenario' | 'host' | 'port'>;
  } = {},
): Promise<EntraSetup> {
  const h = await startHarness('fresh', options.client ?? {}, 'admin', options.sim ?? {});
  const { workspace, instance: saved } = await workspaceWithInstance(h);
  const secrets = new MemorySecretStore();
  const secret = options.secret === undefined ? 'demo' : options.secret;
  if (secret !== null)
    await saveEntraSecret(secrets, saved.id, secret === 'demo' ? h.sim.entraApp.clientSecret : secret);
  const desired: DesiredState = {
    ...defaultDesiredState(),
    entra: { tenant: h.sim.entraApp.tenantId, clientId: h.sim.entraApp.clientId },
  };
  h.sim.clearLog();
  return { h, workspace, instanceId: saved.id, secrets, desired, authority: h.sim.entraApp.authority };
}

export function applyWith(s: EntraSetup, over: Partial<ApplyRequest> = {}) {
  return applyInstance({
    workspace: s.workspace,
    instanceId: s.instanceId,
    client: s.h.client,
    desired: s.desired,
    secrets: s.secrets,
    entraCheck: { authority: s.authority },
    ...over,
  });
}

export const entraRequests = (h: Harness) => h.sim.log.filter((e) => e.path.startsWith('/entra/'));
