// The Walk-up Experience plugin's two calendar flows (docs/servicenow.md §2 step 6, §8). They ship inactive:
// activating them is the last step a person does, so the app can show one inactive and link to it.
import type { SimDatabase } from '../db/database';
import { WALKUP_FLOWS, type WalkupFlowName } from '../../../shared/servicenow/spoke';
import { seed, seededId } from './seeder';

export const WALKUP_SCOPE = 'sn_walkup';

export const flowId = (name: WalkupFlowName): string => seededId('sys_hub_flow', name);

export function seedWalkupFlows(db: SimDatabase): void {
  for (const name of WALKUP_FLOWS) {
    seed(db, 'sys_hub_flow', name, {
      name,
      internal_name: name.toLowerCase().replace(/[^a-z0-9]+/g, '_'),
      active: 'false',
      status: 'published',
      description: `Walk-up Experience: ${name} in the requester's Outlook calendar`,
      sys_scope: 'global',
    });
  }
}
