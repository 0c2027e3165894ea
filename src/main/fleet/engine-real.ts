// The fleet's engine port bound to the real engine (src/main/engine).
import { applyPlan, buildPlan, createApplyStore, discover, resumeApply } from '../engine';
import type { FleetEngine } from './engine-port';

export const realEngine: FleetEngine = {
  discover: (client, desired) => discover(client, { desired }),
  buildPlan,
  applyPlan: ({ client, plan, dir, onProgress }) => applyPlan({ client, plan, dir, onProgress }),
  resumeApply: ({ client, dir, onProgress }) => resumeApply({ client, dir, onProgress }),
  latestRecord: (dir) => createApplyStore(dir).latestRecord(),
};
