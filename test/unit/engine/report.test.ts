import { describe, expect, it } from 'vitest';
import { renderReport, reportData, escapeHtml } from '../../../src/shared/domain/report';
import { buildPlan } from '../../../src/shared/domain/planner';
import { defaultDesiredState } from '../../../src/shared/domain/desired-state';
import { ApplyRecordSchema, type ApplyRecord } from '../../../src/shared/domain/apply';
import { buildNextSteps } from '../../../src/shared/domain/next-steps';
import { IDS, freshSnapshot, wcsSnapshot } from './snapshot-fixtures';

const NOW = new Date('2026-03-01T10:00:00.000Z');

function recordFor(snapshot = freshSnapshot(), mutate?: (r: ApplyRecord) => void): ApplyRecord {
  const desired = defaultDesiredState();
  const plan = buildPlan(snapshot, desired, NOW);
  const record: ApplyRecord = {
    version: 1,
    applyId: '20260301T100000Z-abc123',
    kind: 'apply',
    instanceUrl: snapshot.instanceUrl,
    startedAt: NOW.toISOString(),
    finishedAt: '2026-03-01T10:00:02.000Z',
    status: 'succeeded',
    plan,
    steps: plan.actions.map((a, i) => ({
      actionId: a.id,
      table: a.table,
      name: a.name,
      op: a.op,
      status: a.op === 'noop' ? 'skipped' : 'done',
      sysId: a.sysId ?? `new${i}`,
    })),
    records: plan.actions
      .filter((a) => a.op !== 'noop')
      .map((a, i) => ({
        actionId: a.id,
        table: a.table,
        sysId: a.sysId ?? `new${i}`,
        name: a.name,
        op: a.op,
        before: a.before ?? null,
        after: { ...a.body, sys_id: a.sysId ?? `new${i}` },
        verified: true,
        mismatches: [],
      })),
    verification: { ok: true, checkedAt: NOW.toISOString(), requests: 2 },
    nextSteps: buildNextSteps(snapshot.instanceUrl, [
      {
        name: 'Exchange_Online_Credentials',
        sysId: 'new0',
        grant: 'authorization_code',
        profileSysId: IDS.profileAuthCode,
      },
      {
        name: 'Exchange_Online_Credentials_clientCred',
        sysId: 'new1',
        grant: 'client_credentials',
        profileSysId: IDS.profileClientCred,
      },
    ]),
    requests: 7,
  };
  mutate?.(record);
  return ApplyRecordSchema.parse(record);
}

describe('renderReport', () => {
  it('escapes every value: a name with <script> stays text', () => {
    const record = recordFor(freshSnapshot(), (r) => {
      const step = r.steps[2]!;
      step.name = '<script>alert("x")</script>';
    });
    const html = renderReport(record, { format: 'html', instanceName: 'ACME <prod> & "test"' });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('ACME &lt;prod&gt; &amp; &quot;test&quot;');
    expect(escapeHtml(`<a href='x'>&</a>`)).toBe('&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('is self-contained and printable: inline CSS, no external resources', () => {
    const html = renderReport(recordFor(), { format: 'html', instanceName: 'ACME' });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<style>');
    expect(html).toContain('@media print');
    expect(html).not.toMatch(/<link\b|<script\b|<img\b|@import|url\(/i);
    // Links only point at the instance (next steps).
    const hrefs = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) expect(href!.startsWith('https://dev12345.service-now.com/')).toBe(true);
  });

  it('shows instance, date, who, each record with new/changed/unchanged fields, verification and next steps', () => {
    const record = recordFor(wcsSnapshot());
    const html = renderReport(record, {
      format: 'html',
      instanceName: 'ACME',
      runBy: { instanceUser: 'jane.admin', osUser: 'jane' },
      timeZone: 'Europe/Berlin',
    });
    expect(html).toContain('Provisioning report: ACME');
    // Local time with its zone, never the raw UTC ISO string (issue 12).
    expect(html).toContain('<dt>Started</dt><dd>1 Mar 2026, 11:00:00 GMT+1 (Europe/Berlin)</dd>');
    expect(html).toContain('<dt>Finished</dt><dd>1 Mar 2026, 11:00:02 GMT+1 (Europe/Berlin)</dd>');
    expect(html).not.toContain('2026-03-01T10:00:00.000Z');
    expect(html).toContain('<dt>Run by</dt><dd>jane.admin (ServiceNow user) · jane (computer user)</dd>');
    expect(html).toContain('Verified: every record re-read matches');
    expect(html).toContain('Took over the existing connection “MS Graph 1”');
    expect(html).toMatch(
      /<tr class="changed"><td>Name<\/td><td>MS Graph 1<\/td><td>Exchange_Online_Connection<\/td>/,
    );
    expect(html).toMatch(/<tr class="unchanged"><td>Active<\/td>/);
    expect(html).toMatch(
      /<tr class="new"><td>OAuth Entity Profile<\/td><td><\/td><td>Microsoft Exchange Online default_profile<\/td>/,
    );
    expect(html).toContain(
      'oauth_initiator.do?oauth_requestor_context=oauth_2_0_credentials&amp;oauth_requestor=new0',
    );
    expect(html).toContain('Get OAuth Token');
  });

  it('says "unknown" only when neither user is known, and names the one that is', () => {
    const html = (runBy: { instanceUser: string | null; osUser: string | null }) =>
      renderReport(recordFor(), { format: 'html', instanceName: 'ACME', runBy });
    expect(html({ instanceUser: null, osUser: null })).toContain('<dt>Run by</dt><dd>unknown</dd>');
    expect(html({ instanceUser: 'admin', osUser: null })).toContain(
      '<dt>Run by</dt><dd>admin (ServiceNow user)</dd>',
    );
  });

  it('lets long links and codes wrap instead of running off the page', () => {
    const html = renderReport(recordFor(), { format: 'html', instanceName: 'ACME' });
    expect(html).toMatch(/a,code\{overflow-wrap:anywhere/);
    expect(html).toMatch(/dl\.meta dd\{margin:0;min-width:0\}/);
  });

  it('a failed apply says what was and was not written', () => {
    const record = recordFor(freshSnapshot(), (r) => {
      r.status = 'failed';
      r.verification = null;
      r.steps[2]!.status = 'failed';
      r.steps[2]!.error = {
        code: 'forbidden',
        message: 'The instance refused to create it.',
        ambiguous: false,
      };
      r.steps[3]!.status = 'not_run';
    });
    const html = renderReport(record, { format: 'html', instanceName: 'ACME' });
    expect(html).toContain('Failed: see the records below');
    expect(html).toContain('create: failed');
    expect(html).toContain('create: not run');
    expect(html).toContain('The instance refused to create it.');
    expect(html).toContain('Not verified');
  });

  it('JSON has the same content; no secrets anywhere in records or reports', () => {
    const record = recordFor();
    const json = JSON.parse(renderReport(record, { format: 'json', instanceName: 'ACME' }));
    expect(json).toEqual(JSON.parse(JSON.stringify(reportData(record, { instanceName: 'ACME' }))));
    expect(json.records).toHaveLength(4);
    expect(json.records[0].fields.find((f: { field: string }) => f.field === 'applies_to')).toMatchObject({
      after: 'all',
      state: 'new',
    });
    const everything =
      JSON.stringify(record) + renderReport(record, { format: 'html', instanceName: 'ACME' });
    expect(everything).not.toMatch(
      /"(password|client_secret|user_password|token|access_token|refresh_token)"|Basic [A-Za-z0-9+/=]{8,}|Bearer /i,
    );
  });
});

describe('next steps', () => {
  it('credential form URL, and oauth_initiator.do only for Authorization Code', () => {
    const steps = buildNextSteps('https://acme.service-now.com/', [
      { name: 'A', sysId: 'abc', grant: 'authorization_code', profileSysId: 'p 1' },
      { name: 'B', sysId: 'def', grant: 'client_credentials', profileSysId: 'p2' },
      { name: 'A again', sysId: 'abc', grant: 'authorization_code', profileSysId: 'p 1' },
    ]);
    expect(steps).toEqual([
      {
        credentialName: 'A',
        credentialSysId: 'abc',
        grant: 'authorization_code',
        credentialUrl: 'https://acme.service-now.com/oauth_2_0_credentials.do?sys_id=abc',
        authorizeUrl:
          'https://acme.service-now.com/oauth_initiator.do?oauth_requestor_context=oauth_2_0_credentials&oauth_requestor=abc&oauth_provider_profile=p%201&response_type=code',
      },
      {
        credentialName: 'B',
        credentialSysId: 'def',
        grant: 'client_credentials',
        credentialUrl: 'https://acme.service-now.com/oauth_2_0_credentials.do?sys_id=def',
        authorizeUrl: null,
      },
    ]);
  });
});
