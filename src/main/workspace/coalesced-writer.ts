// Many quick changes (a fleet run updating 100 statuses) must not become 100 fsyncs of the same file,
// nor interleave. A coalesced writer runs at most one write at a time and folds every request made
// during a write into one more write, which serializes the state as it is when that write starts.

export type CoalescedWrite = () => Promise<void>;

export function createCoalescedWriter(write: () => Promise<void>): CoalescedWrite {
  let running: Promise<void> | null = null;
  let queued: Promise<void> | null = null;

  const start = (): Promise<void> => {
    const current = write().finally(() => {
      if (running === current) running = null;
    });
    running = current;
    return current;
  };

  return () => {
    if (queued) return queued;
    if (!running) return start();
    queued = running
      .catch(() => undefined)
      .then(() => {
        queued = null;
        return start();
      });
    return queued;
  };
}
