import { createHash, randomBytes } from 'node:crypto';

const SYS_ID = /^[0-9a-f]{32}$/;

export function newSysId(): string {
  return randomBytes(16).toString('hex');
}

/** A sys_id derived from a key, so seeded records keep the same id across resets and runs. */
export function stableSysId(key: string): string {
  return createHash('sha256').update(`spokesmith-sim:${key}`).digest('hex').slice(0, 32);
}

export function isSysId(value: string): boolean {
  return SYS_ID.test(value);
}

/** glide_date_time as the Table API shows it (UTC, `YYYY-MM-DD HH:MM:SS`). */
export function glideDateTime(ms: number = Date.now()): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}
