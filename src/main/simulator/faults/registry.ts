// Faults switched on per scenario or at runtime. Each request asks which faults apply: every matching
// latency fault adds its delay, and the first matching answering fault (in the order added) decides the
// answer. `skip` lets the first N matching requests through; `times` expires a fault after N uses.
//
// A Batch API request is matched by what it carries (docs/servicenow.md §7): a fault aimed at
// `POST http_connection` hits the batch that holds such an item, as one request (429, 5xx, reset, hang,
// hang after commit, quota cancel: what the instance or the network does to an HTTP request). A refusal
// by a business rule or ACL (`forbidden`) is about one record, so inside a batch it answers the matching
// item only. A fault aimed at the batch path itself (`pathIncludes: '/batch'`) hits the envelope.
import type { FaultController, FaultListEntry, FaultSpec } from '../types';

export interface FaultTarget {
  method: string;
  /** The Table API table, when the request is one. */
  table: string | null;
  path: string;
}

/** Faults that answer one record of a batch rather than the whole HTTP request. */
const ITEM_KINDS: ReadonlySet<FaultSpec['kind']> = new Set(['forbidden']);

export interface FaultSelection {
  latencyMs: number;
  /** The answering fault, if any. */
  answer: FaultSpec | null;
}

interface Entry extends FaultListEntry {
  spec: FaultSpec;
}

function matchesTarget(spec: FaultSpec, target: FaultTarget): boolean {
  const m = spec.match;
  if (!m) return true;
  if (m.method && m.method.toUpperCase() !== target.method.toUpperCase()) return false;
  if (m.table && m.table !== target.table) return false;
  if (m.pathIncludes && !target.path.includes(m.pathIncludes)) return false;
  return true;
}

export class FaultRegistry implements FaultController {
  private entries: Entry[] = [];
  private nextId = 1;

  constructor(private baseLatencyMs: number) {}

  get latencyMs(): number {
    return this.baseLatencyMs;
  }

  add(spec: FaultSpec): () => void {
    return this.addWithId(spec).remove;
  }

  addWithId(spec: FaultSpec): { id: string; remove: () => void } {
    const id = `f${this.nextId}`;
    this.nextId += 1;
    this.entries.push({ id, spec: { ...spec }, seen: 0, applied: 0 });
    return { id, remove: () => void this.remove(id) };
  }

  remove(id: string): boolean {
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => e.id !== id);
    return this.entries.length !== before;
  }

  clear(): void {
    this.entries = [];
  }

  setLatency(ms: number): void {
    this.baseLatencyMs = Math.max(0, ms);
  }

  list(): FaultListEntry[] {
    return this.entries.map((e) => ({ id: e.id, spec: { ...e.spec }, seen: e.seen, applied: e.applied }));
  }

  /**
   * The faults for one HTTP request. For a Batch API request pass its items: request-level faults then
   * match when the envelope is named by path or any item matches; item-level ones are left to `selectItem`.
   */
  select(target: FaultTarget, items?: readonly FaultTarget[]): FaultSelection {
    return this.pick((spec) => {
      if (!items) return matchesTarget(spec, target);
      if (spec.match?.pathIncludes && !spec.match.method && !spec.match.table)
        return matchesTarget(spec, target);
      return !ITEM_KINDS.has(spec.kind) && items.some((item) => matchesTarget(spec, item));
    });
  }

  /** The item-level fault (if any) for one item of a batch. */
  selectItem(item: FaultTarget): FaultSpec | null {
    return this.pick(
      (spec) =>
        ITEM_KINDS.has(spec.kind) &&
        !(spec.match?.pathIncludes && !spec.match.method && !spec.match.table) &&
        matchesTarget(spec, item),
    ).answer;
  }

  private pick(applies: (spec: FaultSpec) => boolean): FaultSelection {
    const selection: FaultSelection = { latencyMs: this.baseLatencyMs, answer: null };
    for (const entry of this.entries) {
      const isLatency = entry.spec.kind === 'latency';
      if (!isLatency && selection.answer) continue;
      if (!applies(entry.spec)) continue;
      entry.seen += 1;
      if (entry.seen <= (entry.spec.skip ?? 0)) continue;
      entry.applied += 1;
      if (entry.spec.kind === 'latency') selection.latencyMs += Math.max(0, entry.spec.ms);
      else selection.answer = entry.spec;
    }
    this.entries = this.entries.filter((e) => e.spec.times === undefined || e.applied < e.spec.times);
    return selection;
  }
}
