import { describe, expect, it } from 'vitest';
import { inspectBody, parseConcatenatedJson } from '../../../src/main/servicenow/body';

describe('inspectBody', () => {
  it('reads plain JSON without a failure', () => {
    expect(inspectBody('{"result":[{"a":"1"}]}', 'application/json')).toEqual({
      kind: 'json',
      value: { result: [{ a: '1' }] },
      failure: null,
    });
  });

  it('finds a quota error appended after a complete result', () => {
    const text =
      '{"result":[{"a":"1"}]}{"error":{"message":"Transaction cancelled: maximum execution time exceeded","detail":null},"status":"failure"}';
    const body = inspectBody(text, 'application/json');
    expect(body.kind).toBe('json');
    if (body.kind === 'json') {
      expect(body.failure?.message).toBe('Transaction cancelled: maximum execution time exceeded');
    }
  });

  it('finds a quota error appended after a truncated result', () => {
    const text =
      '{"result":[{"a":"1"},{"a":"2", "b": "x\\"}{"}],"error":{"message":"Transaction cancelled: maximum execution time exceeded","detail":"quota \\"REST\\""},"status":"failure"';
    const body = inspectBody(text, 'application/json');
    expect(body.kind).toBe('garbled');
    if (body.kind === 'garbled') {
      expect(body.failure).toEqual({
        message: 'Transaction cancelled: maximum execution time exceeded',
        detail: 'quota "REST"',
      });
    }
  });

  it('treats status:failure inside one object as a failure', () => {
    const body = inspectBody('{"result":[],"error":{"message":"boom"},"status":"failure"}', undefined);
    expect(body.kind === 'json' && body.failure?.message).toBe('boom');
  });

  it('does not treat a record field that says "hibernating" as a hibernation page', () => {
    const body = inspectBody('{"result":[{"description":"instance was hibernating"}]}', 'application/json');
    expect(body.kind).toBe('json');
  });

  it('recognises HTML by content type and by its first tag', () => {
    expect(inspectBody('<h1>Your instance is hibernating</h1>', 'text/html; charset=utf-8')).toEqual({
      kind: 'html',
      hibernating: true,
    });
    expect(inspectBody('<!DOCTYPE html><html><body>Login</body></html>', undefined)).toEqual({
      kind: 'html',
      hibernating: false,
    });
  });

  it('reports an empty body', () => {
    expect(inspectBody('  ', 'application/json')).toEqual({ kind: 'empty' });
  });
});

describe('parseConcatenatedJson', () => {
  it('splits whitespace-separated values and respects braces inside strings', () => {
    expect(parseConcatenatedJson('{"a":"}{"} \n [1,2]')).toEqual({
      values: [{ a: '}{' }, [1, 2]],
      complete: true,
    });
  });
  it('marks an unterminated value as incomplete', () => {
    expect(parseConcatenatedJson('{"a":1}{"b":')).toEqual({ values: [{ a: 1 }], complete: false });
  });
});

describe('failure bodies', () => {
  it('reads the token endpoint error shape', () => {
    const body = inspectBody(
      '{"error_description":"access_denied","error":"server_error"}',
      'application/json',
    );
    expect(body.kind === 'json' && body.failure).toEqual({ message: 'access_denied', detail: null });
  });
  it('still flags a failure whose error member has an unknown shape', () => {
    const body = inspectBody('{"status":"failure","error":[1,2]}', 'application/json');
    expect(body.kind === 'json' && body.failure).toEqual({ message: null, detail: null });
  });
});
