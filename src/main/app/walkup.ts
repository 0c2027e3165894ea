// The two Walk-up flows after an apply (issue 10 §5, docs/servicenow.md §2 step 6, §8): active or not, with
// the link that opens each. Spokesmith only reads them; activating them stays with the consultant. The
// flows are part of every discovery, so the stored one answers at once; "check again" discovers afresh.
import type { WalkupView } from '../../shared/ipc/contract';
import { walkupFlowStatus } from '../../shared/domain/walkup-status';
import { storedSnapshot } from '../operations';
import type { AppContext } from './context';
import { runDiscover } from './discover';

export async function checkWalkup(
  ctx: AppContext,
  input: { id: string; fresh?: boolean },
): Promise<WalkupView> {
  await ctx.requireInstance(input.id);
  const snapshot = input.fresh
    ? (await runDiscover(ctx, input.id)).snapshot
    : ((await storedSnapshot(ctx.workspace(), input.id, ctx.now()))?.snapshot ?? null);
  if (!snapshot) return { flows: [], readAt: null };
  return { flows: walkupFlowStatus(snapshot), readAt: snapshot.discoveredAt };
}
