// Human wording for timestamps: "5 min ago", "2 days ago".

export function ageSeconds(iso: string | null, now: number = Date.now()): number | null {
  if (!iso) return null;
  const at = Date.parse(iso);
  return Number.isNaN(at) ? null : Math.max(0, Math.round((now - at) / 1000));
}

export function formatAge(seconds: number | null): string {
  if (seconds === null) return 'never';
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 36) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  return `${days} day${days === 1 ? '' : 's'} ago`;
}

export function formatTime(iso: string | null): string {
  if (!iso) return '—';
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : at.toLocaleString();
}

/** A snapshot older than this is called out on the review: the instance may have changed since. */
export const STALE_SNAPSHOT_SECONDS = 15 * 60;

/** Now, as an ISO string (for a result the window makes itself, e.g. an apply's Entra verdict). */
export function nowIso(): string {
  return new Date().toISOString();
}
