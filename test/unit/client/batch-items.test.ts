// The Batch API items the engine sends and how each answer comes back (docs/servicenow.md §7): a write
// item carries the URL and parameters a single request would, and every answer is read as strictly as a
// direct one, with a message naming the item.
import { describe, expect, it } from 'vitest';
import {
  buildBatchRequest,
  readBatchResponse,
  writeItem,
  type BatchRequestItem,
} from '../../../src/main/servicenow/batch';

const b64 = (text: string): string => Buffer.from(text).toString('base64');
const SYS_ID = '0123456789abcdef0123456789abcdef';
const JSON_HEADERS = [{ name: 'Content-Type', value: 'application/json' }];

/** The answer of one serviced item. */
const serviced = (id: string, status: number, body?: string, headers = JSON_HEADERS) => ({
  id,
  status_code: status,
  headers,
  ...(body === undefined ? {} : { body: b64(body) }),
});

const answerTo = (item: BatchRequestItem, answer: ReturnType<typeof serviced>) =>
  readBatchResponse([item], { serviced_requests: [answer], unserviced_requests: [] })[0];

describe('writeItem', () => {
  it('a create is a POST to the table, whatever sys_id the caller holds', () => {
    expect(writeItem('a1', 'create', 'http_connection', null, { name: 'Exchange' })).toEqual({
      id: 'a1',
      method: 'POST',
      url: '/api/now/table/http_connection?sysparm_exclude_reference_link=true',
      body: { name: 'Exchange' },
    });
    expect(writeItem('a1', 'create', 'http_connection', SYS_ID, {}).url).toBe(
      '/api/now/table/http_connection?sysparm_exclude_reference_link=true',
    );
  });

  it('a create that sets a password2 field asks for input display values', () => {
    expect(
      writeItem('a1', 'create', 'basic_auth_credentials', null, {}, { inputDisplayValue: true }).url,
    ).toBe(
      '/api/now/table/basic_auth_credentials?sysparm_input_display_value=true&sysparm_exclude_reference_link=true',
    );
  });

  it('an update is a PATCH of the record, in any domain, keeping input display values', () => {
    expect(writeItem('a2', 'update', 'sys_alias', SYS_ID, { active: 'true' })).toEqual({
      id: 'a2',
      method: 'PATCH',
      url: `/api/now/table/sys_alias/${SYS_ID}?sysparm_exclude_reference_link=true&sysparm_query_no_domain=true`,
      body: { active: 'true' },
    });
    expect(writeItem('a2', 'update', 'oauth_entity', SYS_ID, {}, { inputDisplayValue: true }).url).toBe(
      `/api/now/table/oauth_entity/${SYS_ID}?sysparm_input_display_value=true&sysparm_exclude_reference_link=true&sysparm_query_no_domain=true`,
    );
  });

  it('a delete is a DELETE of the record in any domain, without a body', () => {
    expect(writeItem('a3', 'delete', 'sys_alias', SYS_ID, { ignored: 'x' })).toEqual({
      id: 'a3',
      method: 'DELETE',
      url: `/api/now/table/sys_alias/${SYS_ID}?sysparm_query_no_domain=true`,
    });
  });

  it('an update or a delete without a sys_id is refused, naming the item', () => {
    expect(() => writeItem('a4', 'update', 'sys_alias', null, {})).toThrow(
      new TypeError('Batch item a4: an update needs a sys_id'),
    );
    expect(() => writeItem('a5', 'delete', 'sys_alias', '', {})).toThrow(
      /^Batch item a5: .*delete needs a sys_id$/,
    );
  });
});

describe('buildBatchRequest', () => {
  it('asks for JSON both ways and for each answer with its headers', () => {
    const request = buildBatchRequest([{ id: '1', method: 'GET', url: '/api/now/table/sys_alias' }]) as {
      rest_requests: Record<string, unknown>[];
    };
    expect(request.rest_requests[0]).toEqual({
      id: '1',
      method: 'GET',
      url: '/api/now/table/sys_alias',
      headers: [
        { name: 'Accept', value: 'application/json' },
        { name: 'Content-Type', value: 'application/json' },
      ],
      exclude_response_headers: false,
    });
  });

  it('names the item whose id is repeated or whose URL is not relative', () => {
    const get = (id: string, url = '/api/now/table/x'): BatchRequestItem => ({ id, method: 'GET', url });
    expect(() => buildBatchRequest([get('dup'), get('dup')])).toThrow(
      new TypeError('Batch item ids must be unique and non-empty: "dup"'),
    );
    expect(() => buildBatchRequest([get('')])).toThrow(
      new TypeError('Batch item ids must be unique and non-empty: ""'),
    );
    expect(() => buildBatchRequest([get('x', 'https://evil.example/api/now/table/x')])).toThrow(
      new TypeError('Batch item x: the URL must be relative (/api/…)'),
    );
  });
});

describe('readBatchResponse', () => {
  const read: BatchRequestItem = { id: 'r1', method: 'GET', url: '/api/now/table/sys_alias?sysparm_limit=1' };
  const create: BatchRequestItem = {
    id: 'w1',
    method: 'POST',
    url: '/api/now/table/http_connection?sysparm_exclude_reference_link=true',
    body: { name: 'c' },
  };

  it('refuses an answer that is not a batch answer, in those words', () => {
    expect(() => readBatchResponse([read], { result: [] })).toThrow(new TypeError('not a Batch API answer'));
  });

  it('names the item, without its query, when the instance skipped it or never mentions it', () => {
    const [skipped, missing] = readBatchResponse([read, create], {
      serviced_requests: [],
      unserviced_requests: ['r1'],
    });
    expect(skipped?.failure?.message).toBe(
      'The instance stopped the batch before GET /api/now/table/sys_alias (batch item r1) ran (usually the ' +
        '30-second batch quota). Send it again.',
    );
    expect(missing?.failure?.message).toBe(
      'The batch answer does not mention POST /api/now/table/http_connection (batch item w1).',
    );
  });

  it('a serviced item is marked serviced, with its status', () => {
    expect(answerTo(read, serviced('r1', 200, '{"result":[{"name":"a"}]}'))).toEqual({
      id: 'r1',
      serviced: true,
      status: 200,
      ok: true,
      result: [{ name: 'a' }],
      failure: null,
    });
  });

  it('an answer without a body (a delete) succeeds with no result', () => {
    const remove: BatchRequestItem = {
      id: 'd1',
      method: 'DELETE',
      url: `/api/now/table/sys_alias/${SYS_ID}`,
    };
    expect(answerTo(remove, serviced('d1', 204, undefined, []))).toEqual({
      id: 'd1',
      serviced: true,
      status: 204,
      ok: true,
      result: null,
      failure: null,
    });
  });

  it('reads the content type whatever the case of the header name: an HTML page is a sleeping instance', () => {
    const page = 'Please sign in <form action="/login.do"></form>';
    const headers = [{ name: 'CONTENT-TYPE', value: 'text/html; charset=UTF-8' }];
    expect(answerTo(read, serviced('r1', 200, page, headers))?.failure?.code).toBe('hibernating');
  });

  it('a failed item names the item and, for a write, may have been saved', () => {
    const cut = '{"result":{"sys_id":"abc","name":"c"';
    expect(answerTo(create, serviced('w1', 201, cut))?.failure).toEqual({
      code: 'unexpected',
      message:
        "The instance's answer to the request to POST /api/now/table/http_connection (batch item w1) was " +
        'cut short or is not valid JSON.',
      status: 201,
      ambiguous: true,
    });
    expect(answerTo(read, serviced('r1', 200, '{"result":['))?.failure?.ambiguous).toBe(false);
  });

  it('a JSON answer that is neither a list nor a record has an unexpected shape', () => {
    expect(answerTo(create, serviced('w1', 201, '{"records":[]}'))).toEqual({
      id: 'w1',
      serviced: true,
      status: 201,
      ok: false,
      result: null,
      failure: {
        code: 'unexpected',
        message: 'The answer to POST /api/now/table/http_connection (batch item w1) has an unexpected shape.',
        status: 201,
        ambiguous: true,
      },
    });
    expect(answerTo(read, serviced('r1', 200, '{"result":"none"}'))?.failure).toMatchObject({
      code: 'unexpected',
      ambiguous: false,
    });
  });

  describe('references follow the display mode the item asked for', () => {
    const body = JSON.stringify({ result: { parent: { value: SYS_ID, display_value: 'Exchange' } } });
    const get = (query: string): BatchRequestItem => ({
      id: 'g',
      method: 'GET',
      url: `/api/now/table/sys_alias/${SYS_ID}${query}`,
    });

    it('the sys_id by default and with display values off', () => {
      expect(answerTo(get(''), serviced('g', 200, body))?.result).toEqual({ parent: SYS_ID });
      expect(answerTo(get('?sysparm_display_value=false'), serviced('g', 200, body))?.result).toEqual({
        parent: SYS_ID,
      });
    });

    it('the display value with sysparm_display_value=true', () => {
      expect(answerTo(get('?sysparm_display_value=true'), serviced('g', 200, body))?.result).toEqual({
        parent: 'Exchange',
      });
    });

    it('both with sysparm_display_value=all', () => {
      expect(answerTo(get('?sysparm_display_value=all'), serviced('g', 200, body))?.result).toEqual({
        parent: SYS_ID,
        dv_parent: 'Exchange',
      });
    });
  });
});
