// Instance URLs as people type them ("acme", "acme.service-now.com", a pasted form URL) → one origin.
// https only: the client sends credentials on every call. Plain http is allowed for loopback alone, which is
// where the simulator runs.

export type NormalizeResult = { ok: true; url: string } | { ok: false; message: string };

const BARE_NAME = /^[a-z0-9][a-z0-9-]*$/i;

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export function normalizeInstanceUrl(input: string): NormalizeResult {
  const text = input.trim();
  if (!text)
    return {
      ok: false,
      message: 'Enter the instance name or URL, e.g. "acme" or "https://acme.service-now.com".',
    };
  let candidate: string;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) candidate = text;
  else if (BARE_NAME.test(text)) candidate = `https://${text.toLowerCase()}.service-now.com`;
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
        message: 'Use https:// — credentials are never sent over plain http (except to this computer).',
      };
    }
  } else if (url.protocol !== 'https:') {
    return { ok: false, message: `Unsupported scheme "${url.protocol}"; use https://.` };
  }
  // A pasted form or list URL keeps only its origin: every API path is built from the origin.
  return { ok: true, url: url.origin };
}
