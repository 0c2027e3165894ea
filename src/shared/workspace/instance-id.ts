// Instance ids are folder names in the workspace and keys in instances.json, so they must be stable,
// readable and safe on every filesystem: a slug of the instance's host (`acme` for acme.service-now.com).

const SERVICE_NOW_SUFFIX = '.service-now.com';
const ID_MAX = 63;

/**
 * Turns what a consultant types (`acme`, `acme.service-now.com`, `https://acme.service-now.com/nav_to.do`,
 * `http://127.0.0.1:8080`) into the instance's origin. Plain http is accepted only for loopback hosts (the
 * simulator and local test instances); everything else must be https. Returns null when it is not a URL.
 */
export function normalizeWorkspaceUrl(input: string): string | null {
  const text = input.trim();
  if (!text) return null;
  let candidate = text;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(candidate)) {
    // A bare instance name is the customer's *.service-now.com instance.
    candidate = /^[a-z0-9-]+$/i.test(candidate)
      ? `https://${candidate}${SERVICE_NOW_SUFFIX}`
      : `https://${candidate}`;
  }
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if (!url.hostname) return null;
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) return null;
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  return url.origin.toLowerCase();
}

export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * A stable slug from the host: `acme` for https://acme.service-now.com, `127-0-0-1-8080` for
 * http://127.0.0.1:8080, `acme-example-com` for another host. Throws on text that is not a URL, because an
 * id must never be invented from garbage.
 */
export function instanceIdFromUrl(input: string): string {
  const origin = normalizeWorkspaceUrl(input);
  if (!origin) throw new Error(`"${input}" is not an instance URL.`);
  const url = new URL(origin);
  let host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host.endsWith(SERVICE_NOW_SUFFIX)) host = host.slice(0, -SERVICE_NOW_SUFFIX.length);
  const withPort = /:(\d+)$/.exec(url.host)?.[1];
  const raw = withPort ? `${host}-${withPort}` : host;
  const slug = raw
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, ID_MAX)
    .replace(/-+$/, '');
  if (!slug) throw new Error(`"${input}" has no host to name the instance after.`);
  return slug;
}
