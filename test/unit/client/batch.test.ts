import { describe, expect, it } from 'vitest';
import {
  buildBatchRequest,
  readBatchResponse,
  type BatchRequestItem,
} from '../../../src/main/servicenow/batch';

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64');

const items: BatchRequestItem[] = [
  { id: '1', method: 'GET', url: '/api/now/table/sys_alias?sysparm_display_value=true' },
  { id: '2', method: 'POST', url: '/api/now/table/http_connection', body: { name: 'c' } },
  { id: '3', method: 'PATCH', url: '/api/now/table/http_connection/abc', body: { active: 'false' } },
];

describe('buildBatchRequest', () => {
  it('base64-encodes bodies and asks for JSON', () => {
    const request = buildBatchRequest(items) as {
      batch_request_id: string;
      rest_requests: { id: string; body?: string; headers: { name: string; value: string }[] }[];
    };
    expect(request.batch_request_id).toMatch(/[0-9a-f-]{36}/);
    expect(request.rest_requests[0]?.body).toBeUndefined();
    expect(JSON.parse(Buffer.from(request.rest_requests[1]?.body ?? '', 'base64').toString())).toEqual({
      name: 'c',
    });
    expect(request.rest_requests[0]?.headers).toContainEqual({ name: 'Accept', value: 'application/json' });
  });

  it('refuses absolute URLs', () => {
    expect(() =>
      buildBatchRequest([{ id: 'x', method: 'GET', url: 'https://evil.example/api/now/table/x' }]),
    ).toThrow(TypeError);
  });
});

describe('readBatchResponse', () => {
  it('decodes each item, maps failures and marks unserviced items', () => {
    const answers = readBatchResponse(items, {
      batch_request_id: 'x',
      serviced_requests: [
        {
          id: '1',
          status_code: 200,
          body: b64({ result: [{ name: 'A', parent: { display_value: 'P', link: 'l' } }] }),
          headers: [{ name: 'Content-Type', value: 'application/json' }],
        },
        { id: '2', status_code: 403, body: b64({ error: { message: 'ACL Exception' }, status: 'failure' }) },
      ],
      unserviced_requests: ['3'],
    });
    expect(answers[0]).toMatchObject({ ok: true, result: [{ name: 'A', parent: 'P' }] });
    expect(answers[1]).toMatchObject({
      ok: false,
      status: 403,
      failure: { code: 'forbidden', instanceMessage: 'ACL Exception' },
    });
    expect(answers[2]).toMatchObject({
      serviced: false,
      ok: false,
      failure: { code: 'transaction_cancelled', ambiguous: false },
    });
  });

  it('an item missing from both lists is unexpected and, for a write, ambiguous', () => {
    const answers = readBatchResponse(items, { serviced_requests: [], unserviced_requests: [] });
    expect(answers[1]?.failure).toMatchObject({ code: 'unexpected', ambiguous: true });
    expect(answers[0]?.failure).toMatchObject({ code: 'unexpected', ambiguous: false });
  });

  it('throws on something that is not a batch answer', () => {
    expect(() => readBatchResponse(items, { result: [] })).toThrow(TypeError);
    expect(() => readBatchResponse(items, { serviced_requests: 'nope' })).toThrow(TypeError);
  });
});
