// Drift: records that no longer match what the last apply left behind. Compares the apply record's
// verified "after" of every record it touched with the same record in a fresh snapshot. Pure.
import type { ApplyRecord, RecordBeforeAfter } from '../domain/apply';
import { REGISTRY_ELEMENTS } from '../domain/record-fields';
import type { RegistryRecord, Snapshot } from '../domain/snapshot';

export interface DriftDifference {
  /** The record's name as applied. */
  record: string;
  table: string;
  sysId: string | null;
  /** An element name, or `(record)` when the record itself appeared or disappeared. */
  field: string;
  applied: string | null;
  current: string | null;
}

export interface DriftReport {
  drifted: boolean;
  applyId: string;
  appliedAt: string;
  checkedAt: string;
  differences: DriftDifference[];
}

/**
 * System-maintained fields change whenever anyone saves the record (or on every read of some views), so
 * they say nothing about the configuration: never compared.
 */
const VOLATILE_FIELDS = new Set([
  'sys_updated_on',
  'sys_updated_by',
  'sys_mod_count',
  'sys_created_on',
  'sys_created_by',
  'sys_tags',
  'sys_class_name',
  'sys_domain_path',
  // A password2 field reads back as a mask, never its value (docs/servicenow.md §8): nothing to compare.
  REGISTRY_ELEMENTS.clientSecret,
]);

export function isComparedField(field: string): boolean {
  return !VOLATILE_FIELDS.has(field);
}

const REGISTRY_TABLE = 'oauth_entity';

/** The fields both the apply's re-read and discovery have, that differ. Never a password2 field's value. */
function fieldDifferences(touched: RecordBeforeAfter, now: Record<string, string>): DriftDifference[] {
  const base = { record: touched.name, table: touched.table, sysId: touched.sysId };
  const differences: DriftDifference[] = [];
  for (const field of Object.keys(touched.after ?? {}).sort()) {
    // Discovery may read fewer fields than the post-apply verification: compare what both have.
    if (!isComparedField(field) || !(field in now)) continue;
    const applied = touched.after?.[field] ?? null;
    const value = now[field] ?? null;
    if (applied !== value) differences.push({ ...base, field, applied, current: value });
  }
  return differences;
}

export function compareDrift(record: ApplyRecord, snapshot: Snapshot): DriftReport {
  const current = new Map<string, Record<string, string>>();
  for (const c of snapshot.connections) current.set(`http_connection:${c.sysId}`, c.raw);
  for (const c of snapshot.credentials)
    current.set(`${c.className || 'oauth_2_0_credentials'}:${c.sysId}`, c.raw);
  // Credentials may be read through the base table; look them up by sys_id alone as a fallback.
  const bySysId = new Map<string, Record<string, string>>();
  for (const c of [...snapshot.connections, ...snapshot.credentials]) bySysId.set(c.sysId, c.raw);

  // Registries (issue 10) are kept by discovery as their compared fields only, never the secret.
  const registries = snapshot.registries
    ? Object.values(snapshot.registries).filter((r): r is RegistryRecord => r !== null)
    : null;

  const differences: DriftDifference[] = [];
  for (const touched of record.records) {
    if (!touched.sysId) continue;
    if (touched.table === REGISTRY_TABLE) {
      // A snapshot that did not read the registries cannot say they changed (nor that they went away).
      if (!registries) continue;
      const registry = registries.find((r) => r.sysId === touched.sysId);
      if (!registry) {
        differences.push({
          record: touched.name,
          table: touched.table,
          sysId: touched.sysId,
          field: '(record)',
          applied: 'present',
          current: 'absent',
        });
        continue;
      }
      differences.push(...fieldDifferences(touched, registry.values));
      continue;
    }
    const now = current.get(`${touched.table}:${touched.sysId}`) ?? bySysId.get(touched.sysId) ?? null;
    const base = { record: touched.name, table: touched.table, sysId: touched.sysId };
    if (touched.after === null) {
      if (now) differences.push({ ...base, field: '(record)', applied: 'absent', current: 'present' });
      continue;
    }
    if (!now) {
      differences.push({ ...base, field: '(record)', applied: 'present', current: 'absent' });
      continue;
    }
    differences.push(...fieldDifferences(touched, now));
  }
  return {
    drifted: differences.length > 0,
    applyId: record.applyId,
    appliedAt: record.finishedAt ?? record.startedAt,
    checkedAt: snapshot.discoveredAt,
    differences,
  };
}
