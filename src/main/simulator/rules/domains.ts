// Domain separation (docs/servicenow.md §3.7 "Domains"; docs/reliability.md §4.5): a user sees the records of
// global, of their own domain and of the domains below it. A user in global sees every domain.
// sysparm_query_no_domain=true lifts the filter for admins only.
import type { Row, SimDatabase } from '../db/database';
import type { Caller } from './caller';

export type Visibility = 'all' | ReadonlySet<string>;

export function visibleDomains(db: SimDatabase, caller: Caller, queryNoDomain: boolean): Visibility {
  if (caller.domain === 'global' || (queryNoDomain && caller.isAdmin)) return 'all';
  const visible = new Set<string>(['global', '', caller.domain]);
  const domains = db.rows('domain');
  let grew = true;
  while (grew) {
    grew = false;
    for (const d of domains) {
      const id = d.sys_id ?? '';
      if (!visible.has(id) && d.parent && visible.has(d.parent) && d.parent !== 'global' && d.parent !== '') {
        visible.add(id);
        grew = true;
      }
    }
  }
  return visible;
}

export function canSee(visibility: Visibility, row: Row): boolean {
  return visibility === 'all' || visibility.has(row.sys_domain ?? '');
}
