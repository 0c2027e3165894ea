// Simple HTML pages so the demo's links work: `/<table>.do?sys_id=…` shows a record (HTML-escaped,
// password2 values never shown), `/oauth_initiator.do` explains where a real instance would send the
// browser, and a credential page offers "Get OAuth Token", which stores an oauth_credential row so the
// app's token check can be seen to change (docs/servicenow.md §1.3, §5 step 6).
import type { SimDatabase } from '../db/database';
import { fieldsOf, tableExists } from '../db/schema';
import { glideDateTime, isSysId } from '../db/ids';
import { escapeHtml as e, html, type SimResponse } from '../http/response';
import type { Caller } from '../rules/caller';
import { aclDenial } from '../rules/acl';
import { canSee, visibleDomains } from '../rules/domains';
import { isA } from '../db/schema';
import { referenceDisplay } from '../tables/fields';
import { maskSecret } from '../auth/secrets';

export interface PageRequest {
  method: string;
  page: string;
  query: URLSearchParams;
  db: SimDatabase;
  caller: Caller;
  instanceName: string;
}

function layout(title: string, body: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${e(title)}</title></head><body>${body}</body></html>`;
}

export const loginRequired = (): SimResponse =>
  html(401, layout('Login required', '<h1>Login required</h1>'), {
    'WWW-Authenticate': 'BASIC realm="Service-now"',
  });

function home(req: PageRequest): SimResponse {
  const aliases = req.db
    .rows('sys_alias')
    .map((a) => `<li><a href="/sys_alias.do?sys_id=${e(a.sys_id ?? '')}">${e(a.name ?? '')}</a></li>`)
    .join('');
  return html(
    200,
    layout(
      req.instanceName,
      `<h1>${e(req.instanceName)}</h1><p>A simulated ServiceNow instance (Spokesmith demo).</p><h2>Connection &amp; Credential Aliases</h2><ul>${aliases}</ul>`,
    ),
  );
}

function initiator(req: PageRequest): SimResponse {
  const requestor = req.query.get('oauth_requestor') ?? '';
  return html(
    200,
    layout(
      'OAuth initiator',
      `<h1>Get OAuth Token</h1><p>A real instance would now redirect your browser to the Microsoft sign-in page (login.microsoftonline.com) for the Authorization Code grant, then store the token for credential <code>${e(requestor)}</code>.</p><p>This simulated instance cannot reach Microsoft. Use the "Get OAuth Token" button on the <a href="/oauth_2_0_credentials.do?sys_id=${e(requestor)}">credential page</a> to store a simulated token.</p>`,
    ),
  );
}

function recordPage(req: PageRequest, table: string, notice = ''): SimResponse {
  const sysId = req.query.get('sys_id') ?? '';
  const row = isSysId(sysId) ? req.db.get(table, sysId) : undefined;
  const visibility = visibleDomains(req.db, req.caller, false);
  if (aclDenial(req.caller, table, 'read') || !row || !canSee(visibility, row)) {
    return html(404, layout('Record not found', '<h1>Record not found</h1>'));
  }
  const concrete = row.sys_class_name ?? table;
  const defs = fieldsOf(concrete);
  const cells = Object.entries(defs)
    .map(([name, def]) => {
      const value = row[name] ?? '';
      let shown = def.type === 'password2' ? maskSecret(value) : value;
      if (def.type === 'reference' && def.ref && value) {
        shown = `${referenceDisplay(req.db, def.ref, value) || value}`;
        return `<tr><th>${e(name)}</th><td><a href="/${e(def.ref)}.do?sys_id=${e(value)}">${e(shown)}</a></td></tr>`;
      }
      return `<tr><th>${e(name)}</th><td>${e(shown)}</td></tr>`;
    })
    .join('');
  const tokenForm = isA(concrete, 'oauth_2_0_credentials')
    ? `<form method="post" action="/oauth_2_0_credentials.do?sys_id=${e(sysId)}&amp;sysparm_action=get_token"><button type="submit">Get OAuth Token</button></form>`
    : '';
  return html(
    200,
    layout(
      `${concrete} ${row.name ?? sysId}`,
      `<h1>${e(concrete)}: ${e(row.name ?? sysId)}</h1>${notice}<table>${cells}</table>${tokenForm}`,
    ),
  );
}

function getToken(req: PageRequest): SimResponse {
  const sysId = req.query.get('sys_id') ?? '';
  const credential = isSysId(sysId) ? req.db.get('oauth_2_0_credentials', sysId) : undefined;
  if (!credential) return html(404, layout('Record not found', '<h1>Record not found</h1>'));
  if (aclDenial(req.caller, 'oauth_credential', 'insert')) {
    return html(403, layout('Not allowed', '<h1>Security constraints prevent this action</h1>'));
  }
  const profile = req.db.get('oauth_entity_profile', credential.oauth_entity_profile ?? '');
  if (!profile) {
    return recordPage(
      req,
      'oauth_2_0_credentials',
      '<p><strong>The credential has no OAuth Entity Profile.</strong></p>',
    );
  }
  const entity = req.db.get('oauth_entity', profile.oauth_entity ?? '');
  const lifespan = Number(entity?.access_token_lifespan || '3600');
  req.db.insert(
    'oauth_credential',
    {
      peer: entity?.sys_id ?? '',
      token_type: 'access_token',
      expires: glideDateTime(Date.now() + lifespan * 1000),
      oauth_requestor: sysId,
      oauth_requestor_context: 'oauth_2_0_credentials',
      oauth_entity_profile: profile.sys_id ?? '',
      user: req.caller.sysId,
      scope: 'https://graph.microsoft.com/.default',
    },
    { user: req.caller.userName, domain: credential.sys_domain ?? 'global' },
  );
  return recordPage(
    req,
    'oauth_2_0_credentials',
    '<p><strong>OAuth token flow completed successfully (simulated).</strong></p>',
  );
}

export function handlePage(req: PageRequest): SimResponse {
  if (req.page === 'oauth_initiator') return initiator(req);
  if (
    req.method === 'POST' &&
    req.page === 'oauth_2_0_credentials' &&
    req.query.get('sysparm_action') === 'get_token'
  ) {
    return getToken(req);
  }
  if (req.method === 'GET' && tableExists(req.page)) return recordPage(req, req.page);
  if (req.method === 'GET' && (req.page === 'home' || req.page === 'navpage')) return home(req);
  return html(404, layout('Not found', '<h1>Page not found</h1>'));
}

export function homePage(req: Omit<PageRequest, 'page' | 'method' | 'query'>): SimResponse {
  return home({ ...req, page: 'home', method: 'GET', query: new URLSearchParams() });
}
