// Redaction is the last net before a log line, report or error message leaves the process: a secret is
// masked at every occurrence, wherever it sits, and nothing else is touched.
import { describe, expect, it } from 'vitest';
import { REDACTED, SecretSet, isSecretKey, redact } from '../../../src/main/log';

const SECRET = 's3cr3t-Value';

function secrets(...values: string[]): SecretSet {
  const set = new SecretSet();
  for (const v of values) set.add(v);
  return set;
}

describe('SecretSet.mask', () => {
  it('masks every occurrence, not only the first', () => {
    const text = `first ${SECRET}, second ${SECRET}, glued ${SECRET}${SECRET}`;
    const masked = secrets(SECRET).mask(text);
    expect(masked).not.toContain(SECRET);
    expect(masked.split(REDACTED)).toHaveLength(5);
    expect(masked).toBe(`first ${REDACTED}, second ${REDACTED}, glued ${REDACTED}${REDACTED}`);
  });

  it('masks each of several secrets everywhere, inside URLs and longer words', () => {
    const masked = secrets('pw-one', 'token-two').mask(
      'https://u:pw-one@host/?t=token-two&again=pw-one token-twofold',
    );
    expect(masked).toBe(`https://u:${REDACTED}@host/?t=${REDACTED}&again=${REDACTED} ${REDACTED}fold`);
  });

  it('leaves text without a secret unchanged, and ignores empty values', () => {
    const set = secrets('', SECRET);
    set.add(null);
    set.add(undefined);
    expect(set.size).toBe(1);
    expect(set.mask('nothing to hide')).toBe('nothing to hide');
    expect(new SecretSet().mask(`plain ${SECRET}`)).toBe(`plain ${SECRET}`);
  });

  it('is exact about case: a different-case string is another value', () => {
    expect(secrets(SECRET).mask(SECRET.toUpperCase())).toBe(SECRET.toUpperCase());
  });
});

describe('redact', () => {
  it('masks registered secrets at every occurrence in nested strings, arrays and errors', () => {
    const value = {
      message: `${SECRET} and ${SECRET}`,
      list: [`a ${SECRET}`, { deeper: `${SECRET}/${SECRET}` }],
      error: new Error(`failed with ${SECRET} twice: ${SECRET}`),
    };
    const out = JSON.stringify(redact(value, secrets(SECRET)));
    expect(out).not.toContain(SECRET);
    expect(out.split(REDACTED)).toHaveLength(8);
  });

  it('masks keys that name a secret whatever their value; keeps other keys and non-strings', () => {
    const out = redact(
      {
        password: 'x',
        clientSecret: 42,
        Authorization: 'Basic abc',
        user: 'admin',
        count: 3,
        ok: true,
        none: null,
      },
      new SecretSet(),
    );
    expect(out).toEqual({
      password: REDACTED,
      clientSecret: REDACTED,
      Authorization: REDACTED,
      user: 'admin',
      count: 3,
      ok: true,
      none: null,
    });
  });

  it('recognises secret key names in their usual spellings, and only those', () => {
    for (const key of [
      'password',
      'passwd',
      'client_secret',
      'access_token',
      'set-cookie',
      'JSESSIONID',
      'api-key',
      'authorisation',
    ])
      expect(isSecretKey(key), key).toBe(true);
    for (const key of ['user', 'name', 'url', 'status']) expect(isSecretKey(key), key).toBe(false);
  });
});
