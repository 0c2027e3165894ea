// An instance's body at the edges of what inspectBody promises (docs/reliability.md §4.2, §4.4): a failure is
// found wherever the instance wrote it and whatever spacing it used, the instance's own words are kept even
// when they are cut short, and data is never mistaken for a web page or a failure.
import { describe, expect, it } from 'vitest';
import { failureOf, inspectBody, parseConcatenatedJson } from '../../../src/main/servicenow/body';

const garbledFailure = (text: string) => {
  const body = inspectBody(text, 'application/json');
  expect(body.kind).toBe('garbled');
  return body.kind === 'garbled' ? body.failure : undefined;
};

describe('JSON that is data', () => {
  it('a record field holding HTML markup is data, not a web page', () => {
    const text = '{"result":[{"text":"<html><body>Sign-in banner</body></html>"}]}';
    expect(inspectBody(text, undefined)).toEqual({
      kind: 'json',
      value: { result: [{ text: '<html><body>Sign-in banner</body></html>' }] },
      failure: null,
    });
  });

  it('a bare JSON value (null, a number, a string) is JSON without a failure', () => {
    expect(inspectBody('null', 'application/json')).toEqual({ kind: 'json', value: null, failure: null });
    expect(inspectBody('42', 'application/json')).toEqual({ kind: 'json', value: 42, failure: null });
    expect(inspectBody('"ok"', 'application/json')).toEqual({ kind: 'json', value: 'ok', failure: null });
  });

  it('objects written one after the other are read as one value holding all their members', () => {
    expect(inspectBody('{"result":[{"a":"1"}]} {"more":true}', 'application/json')).toEqual({
      kind: 'json',
      value: { result: [{ a: '1' }], more: true },
      failure: null,
    });
  });

  it('a complete object followed by a cut-short one is garbled, not a success', () => {
    expect(inspectBody('{"result":[{"a":"1"}]}{"result":[', 'application/json')).toEqual({
      kind: 'garbled',
      failure: null,
      hibernating: false,
    });
  });

  it('text that is no JSON at all is garbled', () => {
    expect(inspectBody('Service temporarily unavailable', 'text/plain')).toEqual({
      kind: 'garbled',
      failure: null,
      hibernating: false,
    });
  });
});

describe('a failure in a complete JSON body', () => {
  it('status "failure" alone marks a failure', () => {
    expect(failureOf({ status: 'failure' })).toEqual({ message: null, detail: null });
    expect(failureOf({ status: 'success' })).toBeNull();
  });

  it("the token endpoint's error code is its message when it gives no description", () => {
    expect(failureOf({ error: 'invalid_grant' })).toEqual({ message: 'invalid_grant', detail: null });
  });
});

describe('a failure in a cut-short body', () => {
  it('is found whatever the spacing around the colons', () => {
    expect(garbledFailure('{"status"  :  "failure", "result":[')).toEqual({ message: null, detail: null });
    expect(garbledFailure('{"result":[], "error"  :  {"message"  :  "Transaction cancelled"')).toEqual({
      message: 'Transaction cancelled',
      detail: null,
    });
  });

  it('takes the message of the error, not a record field of the same name before it', () => {
    const text =
      '{"result":[{"message":"a record field"}],"error":{"message":"Transaction cancelled: maximum execution time exceeded"';
    expect(garbledFailure(text)?.message).toBe('Transaction cancelled: maximum execution time exceeded');
  });

  it('without an error member, reads the message wherever the instance put it', () => {
    expect(garbledFailure('{"status":"failure","message":"boom","result":[')).toEqual({
      message: 'boom',
      detail: null,
    });
  });

  it('an empty message counts as none', () => {
    expect(garbledFailure('{"error":{"message":"","detail":"quota"')).toEqual({
      message: null,
      detail: 'quota',
    });
  });

  it('keeps a message with an escape JSON does not know as the instance wrote it', () => {
    expect(garbledFailure('{"error":{"message":"bad \\q escape"')?.message).toBe('bad \\q escape');
  });
});

describe('parseConcatenatedJson', () => {
  it('stops at a balanced value that is not JSON', () => {
    expect(parseConcatenatedJson('{"a":1}{oops}')).toEqual({ values: [{ a: 1 }], complete: false });
  });

  it('reads only objects and arrays in a sequence: a leading number leaves it incomplete', () => {
    expect(parseConcatenatedJson('1 {"a":2}')).toEqual({ values: [], complete: false });
  });
});
