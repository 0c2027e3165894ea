// Which part of the simulator a path belongs to.

export type Route =
  | { kind: 'table'; table: string; sysId: string | null; collectionPath: string }
  | { kind: 'batch' }
  | { kind: 'oauth_token' }
  | { kind: 'entra_token'; tenant: string }
  | { kind: 'page'; page: string }
  | { kind: 'home' }
  | { kind: 'api_unknown' }
  | { kind: 'unknown' };

const TABLE = /^\/api\/now\/(?:v[12]\/)?table\/([^/]+)(?:\/([^/]*))?\/?$/;
const BATCH = /^\/api\/now\/(?:v\d+\/)?batch\/?$/;
const PAGE = /^\/([a-z0-9_]+)\.do$/;
/** The stand-in Entra token endpoint (not ServiceNow): `/entra/<tenant>/oauth2/v2.0/token`. */
const ENTRA_TOKEN = /^\/entra\/([^/]+)\/oauth2\/v2\.0\/token\/?$/;

export function classify(pathname: string): Route {
  const table = TABLE.exec(pathname);
  if (table) {
    const name = decodeSegment(table[1] ?? '');
    const sysId = table[2] === undefined || table[2] === '' ? null : decodeSegment(table[2]);
    const collectionPath =
      pathname.slice(0, pathname.indexOf('/table/') + '/table/'.length) + (table[1] ?? '');
    return { kind: 'table', table: name, sysId, collectionPath };
  }
  if (BATCH.test(pathname)) return { kind: 'batch' };
  if (pathname === '/oauth_token.do') return { kind: 'oauth_token' };
  const entra = ENTRA_TOKEN.exec(pathname);
  if (entra) return { kind: 'entra_token', tenant: decodeSegment(entra[1] ?? '') };
  const page = PAGE.exec(pathname);
  if (page) return { kind: 'page', page: page[1] ?? '' };
  if (pathname === '/' || pathname === '/index.html') return { kind: 'home' };
  if (pathname.startsWith('/api/')) return { kind: 'api_unknown' };
  return { kind: 'unknown' };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
