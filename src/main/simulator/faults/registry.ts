// Faults switched on per scenario or at runtime. Each request asks which faults apply: every matching
// latency fault adds its delay, and the first matching answering fault (in the order added) decides the
// answer. `skip` lets the first N matching requests through; `times` expires a fault after N uses.
import type { FaultController, FaultListEntry, FaultSpec } from '../types';

export interface FaultTarget {
  method: string;
  /** The Table API table, when the request is one. */
  table: string | null;
  path: string;
}

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

  select(target: FaultTarget): FaultSelection {
    const selection: FaultSelection = { latencyMs: this.baseLatencyMs, answer: null };
    for (const entry of this.entries) {
      const isLatency = entry.spec.kind === 'latency';
      if (!isLatency && selection.answer) continue;
      if (!matchesTarget(entry.spec, target)) continue;
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
