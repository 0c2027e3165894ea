// The stand-ins the build puts in place of got's unused helpers (electron.vite.config.ts) fail loudly,
// naming the package, if got ever reaches one: a changed client option or a got upgrade then shows up as
// a clear error instead of a silently different request. (That got does not reach them in a real run is
// shown by the built command's tests: test/integration/cli/lazy-load.test.ts and the CLI suites.)
import { describe, expect, it } from 'vitest';
import CacheableLookup from '../../../src/main/servicenow/unbundled/cacheable-lookup';
import CacheableRequest, { CacheError } from '../../../src/main/servicenow/unbundled/cacheable-request';
import { FormDataEncoder, isFormData } from '../../../src/main/servicenow/unbundled/form-data-encoder';
import http2wrapper from '../../../src/main/servicenow/unbundled/http2-wrapper';

const refusal = (pkg: string) =>
  `got needed ${pkg}, which is left out of Spokesmith's build (see electron.vite.config.ts): ` +
  'an option of got that Spokesmith does not use was reached';

describe("the stand-ins for got's unused helpers", () => {
  it('refuse HTTP/2, naming http2-wrapper', () => {
    expect(() => http2wrapper.auto).toThrow(refusal('http2-wrapper'));
    expect(() => http2wrapper.globalAgent).toThrow(refusal('http2-wrapper'));
  });

  it('refuse a response cache and a DNS cache, naming their packages', () => {
    expect(() => new CacheableRequest()).toThrow(refusal('cacheable-request'));
    expect(() => new CacheableLookup()).toThrow(refusal('cacheable-lookup'));
  });

  it('never take a body for form data, and refuse to encode one', () => {
    expect(isFormData()).toBe(false);
    expect(() => new FormDataEncoder()).toThrow(refusal('form-data-encoder'));
  });

  it("keep got's instanceof check on cache errors working", () => {
    expect(new CacheError('x')).toBeInstanceOf(Error);
  });
});
