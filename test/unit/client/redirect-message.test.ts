// A redirect names the request it answered in a sentence that reads (issue 12: "The instance redirected
// run a batch of 11 request(s)" did not).
import { expect, it } from 'vitest';
import { inspectBody } from '../../../src/main/servicenow/body';
import { failureFromAnswer } from '../../../src/main/servicenow/errors';

it('a 3xx says the request to <what> was answered with a redirect, and the usual causes', () => {
  const f = failureFromAnswer(
    { what: 'run a batch of 11 request(s)', write: true },
    { status: 302, headers: { location: 'https://sso.example.com/login' }, body: inspectBody('', undefined) },
  );
  expect(f?.code).toBe('unexpected');
  expect(f?.message).toBe(
    'The instance answered the request to run a batch of 11 request(s) with a redirect (HTTP 302), which ' +
      'the REST API never does: a single sign-on gateway or a wrong instance URL is the usual cause.',
  );
});
