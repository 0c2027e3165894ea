// The engine's write path: the journaled run with its batches, verification and record (engine/apply.ts,
// run.ts, verify.ts), and rollback on top of it. It is loaded when an operation first writes rather than
// with the operations: an up-to-date apply, a discovery, a plan or a drift check never needs it, and it is
// most of the engine's code (issue 11; test/integration/cli/lazy-load.test.ts).

export async function loadWritePath() {
  const [{ applyPlan, resumeApply }, { applyRollback }] = await Promise.all([
    import('../engine/apply'),
    import('../engine/rollback'),
  ]);
  return { applyPlan, resumeApply, applyRollback };
}

/**
 * How long discovery's request must have been out before the write path is loaded beside it. Long enough
 * for the request to be on its way (loading first would hold it back), short against an instance's answer
 * (100 ms and more over the internet).
 */
export const WARM_AFTER_MS = 20;

type Schedule = (run: () => void, ms: number) => unknown;

/**
 * Answers `pending` as it settles, and loads the write path meanwhile if it is still out after
 * WARM_AFTER_MS: the process has nothing else to do while it waits for discovery's answer, and the plan
 * that follows a discovery usually writes. A fresh apply then finds the write path loaded when the answer
 * comes. A load that fails here is reported by loadWritePath when the write needs it.
 */
export async function warmWritePath<T>(
  pending: Promise<T>,
  schedule: Schedule = setTimeout,
  cancel: (timer: unknown) => void = (timer) => clearTimeout(timer as NodeJS.Timeout),
): Promise<T> {
  const timer = schedule(() => void loadWritePath().catch(() => undefined), WARM_AFTER_MS);
  try {
    return await pending;
  } finally {
    cancel(timer);
  }
}
