// warmWritePath (src/main/operations/write-path.ts): while discovery's request is out, the engine's write path
// is loaded beside it after WARM_AFTER_MS, and the timer never outlives the request. The timer is injected:
// the tests run it by hand.
import { describe, expect, it } from 'vitest';
import { loadWritePath, WARM_AFTER_MS, warmWritePath } from '../../../src/main/operations/write-path';

function manualTimer() {
  const scheduled: { run: () => void; ms: number; timer: object }[] = [];
  const cancelled: unknown[] = [];
  return {
    scheduled,
    cancelled,
    schedule: (run: () => void, ms: number) => {
      const timer = {};
      scheduled.push({ run, ms, timer });
      return timer;
    },
    cancel: (timer: unknown) => void cancelled.push(timer),
  };
}

describe('warmWritePath', () => {
  it('schedules the load after WARM_AFTER_MS and cancels it once the answer is in', async () => {
    const timer = manualTimer();
    let answer!: (value: string) => void;
    const pending = new Promise<string>((resolve) => (answer = resolve));
    const warmed = warmWritePath(pending, timer.schedule, timer.cancel);
    expect(timer.scheduled.map((s) => s.ms)).toEqual([WARM_AFTER_MS]);
    expect(timer.cancelled).toEqual([]);
    answer('snapshot');
    await expect(warmed).resolves.toBe('snapshot');
    expect(timer.cancelled).toEqual([timer.scheduled[0]!.timer]);
  });

  it('passes a failed discovery on, and cancels the load all the same', async () => {
    const timer = manualTimer();
    const failure = new Error('unreachable');
    await expect(warmWritePath(Promise.reject(failure), timer.schedule, timer.cancel)).rejects.toBe(failure);
    expect(timer.cancelled).toEqual([timer.scheduled[0]!.timer]);
  });

  it('loadWritePath answers the engine’s three writing operations', async () => {
    const { applyPlan, resumeApply, applyRollback } = await loadWritePath();
    expect([applyPlan, resumeApply, applyRollback].map((f) => f.name)).toEqual([
      'applyPlan',
      'resumeApply',
      'applyRollback',
    ]);
  });
});
