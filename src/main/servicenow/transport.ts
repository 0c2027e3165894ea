// The sockets a client uses: keep-alive agents (one API session rides on them), the corporate proxy from
// HTTPS_PROXY/HTTP_PROXY/NO_PROXY, and extra CA certificates merged with — never replacing — the bundled
// roots (docs/reliability.md §3.6, §3.7). got honours no proxy variables by itself.
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { delimiter } from 'node:path';
import tls from 'node:tls';
import { HttpProxyAgent, HttpsProxyAgent } from 'hpagent';
import { getProxyForUrl } from 'proxy-from-env';
import { isLoopbackHost } from '../../shared/workspace/instance-id';

export interface Transport {
  agent: { http?: http.Agent; https?: https.Agent };
  /** Set only when extra CAs were found; otherwise Node's defaults apply untouched. */
  certificateAuthority: string[] | undefined;
  /** The proxy origin in use (credentials stripped), for logs; null when direct. */
  proxy: string | null;
  /** Files that were named but could not be read (reported by the caller, never fatal). */
  caProblems: string[];
  close(): void;
}

export interface TransportEnv {
  NODE_EXTRA_CA_CERTS?: string | undefined;
  SPOKESMITH_EXTRA_CA_CERTS?: string | undefined;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * NODE_EXTRA_CA_CERTS is read again here because Node reads it only at start-up and not at all once the
 * Electron `nodeOptions` fuse is off (docs/reliability.md §1.2); SPOKESMITH_EXTRA_CA_CERTS may list several
 * files separated by the platform's path delimiter.
 */
export function loadExtraCertificates(env: TransportEnv): { certs: string[]; problems: string[] } {
  const files = [
    ...(env.NODE_EXTRA_CA_CERTS ? [env.NODE_EXTRA_CA_CERTS] : []),
    ...(env.SPOKESMITH_EXTRA_CA_CERTS ?? '').split(delimiter).filter(Boolean),
  ];
  const certs: string[] = [];
  const problems: string[] = [];
  for (const file of files) {
    try {
      const found = readFileSync(file, 'utf8').match(PEM_BLOCK) ?? [];
      if (found.length === 0) problems.push(`${file}: no PEM certificate in the file`);
      certs.push(...found);
    } catch (error) {
      problems.push(`${file}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
    }
  }
  return { certs, problems };
}

/** The bundled roots plus, on Node ≥ 22.15 (Electron 35+), whatever the runtime trusts by default. */
function baseCertificates(): string[] {
  // `getCACertificates` is newer than the @types/node this project pins.
  const get = (tls as unknown as { getCACertificates?: (type: string) => string[] }).getCACertificates;
  return typeof get === 'function' ? get('default') : [...tls.rootCertificates];
}

export function createTransport(origin: string, env: TransportEnv = process.env): Transport {
  const target = new URL(origin);
  const { certs, problems } = loadExtraCertificates(env);
  const ca = certs.length > 0 ? [...new Set([...baseCertificates(), ...certs])] : undefined;
  // Loopback is never proxied: a corporate proxy cannot reach this computer's simulator, and Go's
  // net/http makes the same exception. Everything else follows the standard *_PROXY/NO_PROXY semantics.
  const proxyUrl = isLoopbackHost(target.hostname) ? '' : getProxyForUrl(target.href);
  // Checked here, not left to hpagent: its "Invalid URL" names no variable and carries the whole value, proxy
  // password included, in its `input`, which a JSON dump of the error shows.
  if (proxyUrl && !URL.canParse(proxyUrl)) {
    throw new TypeError(
      `The proxy for ${target.host} (from HTTPS_PROXY, HTTP_PROXY or ALL_PROXY) is not a valid URL.`,
    );
  }
  const common = { keepAlive: true, maxSockets: 6, scheduling: 'lifo' as const };

  let agent: Transport['agent'];
  if (proxyUrl) {
    agent =
      target.protocol === 'https:'
        ? { https: new HttpsProxyAgent({ ...common, proxy: proxyUrl, ...(ca ? { ca } : {}) }) }
        : { http: new HttpProxyAgent({ ...common, proxy: proxyUrl }) };
  } else {
    agent =
      target.protocol === 'https:'
        ? { https: new https.Agent({ ...common, ...(ca ? { ca } : {}) }) }
        : { http: new http.Agent(common) };
  }
  return {
    agent,
    certificateAuthority: ca,
    // The origin only: the credentials stay out of logs.
    proxy: proxyUrl ? new URL(proxyUrl).origin : null,
    caProblems: problems,
    close() {
      agent.http?.destroy();
      agent.https?.destroy();
    },
  };
}

/** Explicit per-phase limits (docs/reliability.md §3.3): got has none by default. */
export interface Timeouts {
  connectMs: number;
  responseMs: number;
  requestMs: number;
}

/**
 * The got options every request Spokesmith makes shares, whether to an instance or to Microsoft Entra:
 * this transport's sockets, TLS verified (extra CAs merged in), explicit timeouts, and nothing done behind
 * the caller's back — no got retries (the callers decide what may be retried), no redirects followed, no
 * HTTP status turned into an exception, the body as text to be parsed where it enters.
 */
export function requestOptions(transport: Transport, timeouts: Timeouts) {
  return {
    agent: transport.agent,
    https: {
      rejectUnauthorized: true,
      ...(transport.certificateAuthority ? { certificateAuthority: transport.certificateAuthority } : {}),
    },
    timeout: {
      lookup: timeouts.connectMs,
      connect: timeouts.connectMs,
      secureConnect: timeouts.connectMs,
      response: timeouts.responseMs,
      request: timeouts.requestMs,
    },
    retry: { limit: 0 },
    throwHttpErrors: false,
    followRedirect: false,
    responseType: 'text' as const,
    http2: false,
  };
}
