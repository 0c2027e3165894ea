// Instance ids are folder names in the workspace and keys in instances.json, so they must be stable,
// readable and safe on every filesystem: a slug of the instance's host (`acme` for acme.service-now.com).

const SERVICE_NOW_SUFFIX = '.service-now.com';
const ID_MAX = 63;

export type NormalizeResult = { ok: true; url: string } | { ok: false; message: string };

const BARE_NAME = /^[a-z0-9][a-z0-9-]*$/i;

/**
 * THE instance URL rule, used by the workspace (what is stored), the renderer (what the editor says) and
 * the ServiceNow client (where credentials are sent). Turns what a consultant types (`acme`,
 * `acme.service-now.com`, `https://acme.service-now.com/nav_to.do`, `http://127.0.0.1:8080`) into the
 * instance's origin. https only, because credentials go with every call; plain http only for a loopback
 * host (the simulator and local test instances), see isLoopbackHost.
 */
export function normalizeInstanceUrl(input: string): NormalizeResult {
  const text = input.trim();
  if (!text)
    return {
      ok: false,
      message: 'Enter the instance name or URL, e.g. "acme" or "https://acme.service-now.com".',
    };
  let candidate: string;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) candidate = text;
  // A bare instance name is the customer's *.service-now.com instance.
  else if (BARE_NAME.test(text)) candidate = `https://${text.toLowerCase()}${SERVICE_NOW_SUFFIX}`;
  else candidate = `https://${text}`;

  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return { ok: false, message: `"${text}" is not a valid instance name or URL.` };
  }
  if (url.username || url.password) {
    return {
      ok: false,
      message: 'Remove the user name and password from the URL; enter them in the credential fields.',
    };
  }
  if (!url.hostname) return { ok: false, message: `"${text}" has no host name.` };
  if (url.protocol === 'http:') {
    if (!isLoopbackHost(url.hostname)) {
      return {
        ok: false,
        message:
          'Use https:// — credentials are never sent over plain http (except to this computer: localhost, 127.x.x.x or [::1]).',
      };
    }
  } else if (url.protocol !== 'https:') {
    return { ok: false, message: `Unsupported scheme "${url.protocol}"; use https://.` };
  }
  // A pasted form or list URL keeps only its origin: every API path is built from the origin. The WHATWG
  // parser already lowercases scheme and host.
  return { ok: true, url: url.origin.toLowerCase() };
}

/** normalizeInstanceUrl for callers that only need the origin: null when the input is refused. */
export function normalizeWorkspaceUrl(input: string): string | null {
  const result = normalizeInstanceUrl(input);
  return result.ok ? result.url : null;
}

/**
 * Loopback is exactly `localhost`, 127.0.0.0/8 and ::1 — nothing that needs a DNS answer to be loopback.
 * `evil.localhost` is refused: the client would resolve it through system DNS (and a resolver or hosts
 * file may send it anywhere); `localhost.evil.com` and `127.0.0.1.nip.io` are ordinary remote names.
 * The WHATWG parser has already turned `127.1`, `0x7f.1` and `[0:0::1]` into their canonical forms.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host === '::1') return true;
  const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return octets !== null && octets.slice(1).every((octet) => Number(octet) <= 255);
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
