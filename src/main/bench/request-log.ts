// Classifies the simulator's request log: every entry is one HTTP round trip.
export interface LoggedRequest {
  method: string;
  path: string;
  batchItems?: number;
  /** A Batch API request's items, as the simulator logs them. */
  items?: readonly { method: string }[];
}

export interface RoundTrips {
  total: number;
  /** GETs, plus Batch API calls whose items are all reads (the log cannot tell, so batches count here). */
  reads: number;
  /** Requests that write: POST/PATCH/PUT/DELETE on the Table API, or a batch with a write item. */
  writes: number;
  batches: number;
  /** Records written: table writes plus the write items of batches. */
  written: number;
}

const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);
const isBatch = (e: LoggedRequest) => /\/api\/now\/(v\d+\/)?batch/.test(e.path);
const writeItems = (e: LoggedRequest) =>
  isBatch(e)
    ? (e.items ?? []).filter((i) => WRITE_METHODS.has(i.method.toUpperCase())).length
    : WRITE_METHODS.has(e.method.toUpperCase())
      ? 1
      : 0;

export function countRoundTrips(log: readonly LoggedRequest[]): RoundTrips {
  let reads = 0;
  let writes = 0;
  let batches = 0;
  let written = 0;
  for (const entry of log) {
    if (isBatch(entry)) batches += 1;
    const items = writeItems(entry);
    written += items;
    if (items > 0) writes += 1;
    else reads += 1;
  }
  return { total: log.length, reads, writes, batches, written };
}

/** Splits an apply's requests: reads before the first write, the writes, and reads after the last write. */
export function applyPhases(log: readonly LoggedRequest[]): {
  before: number;
  writes: number;
  after: number;
} {
  const isWrite = (e: LoggedRequest) => writeItems(e) > 0;
  const first = log.findIndex(isWrite);
  if (first < 0) return { before: log.length, writes: 0, after: 0 };
  const last = log.length - 1 - [...log].reverse().findIndex(isWrite);
  return {
    before: first,
    writes: log.filter(isWrite).length,
    after: log.length - 1 - last,
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (!sorted.length) return NaN;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
