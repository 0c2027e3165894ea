import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHANNELS, CHANNEL_NAMES, type ChannelName } from '../../../src/shared/ipc/contract';
import { AppError } from '../../../src/main/ipc/errors';
import { createIpcRouter, type IpcServices } from '../../../src/main/ipc/router';
import { createSenderCheck, type IpcSenderInfo } from '../../../src/main/ipc/sender';
import { ServiceNowError } from '../../../src/main/servicenow';

const OUR_ID = 1;
const ours: IpcSenderInfo = {
  sender: { id: OUR_ID },
  senderFrame: { url: 'app://spokesmith/index.html', parent: null },
};

function setup(overrides: Partial<Record<ChannelName, (input: unknown) => Promise<unknown>>> = {}) {
  const calls: { channel: ChannelName; input: unknown }[] = [];
  const logs: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  const services = Object.fromEntries(
    CHANNEL_NAMES.map((c) => [
      c,
      async (input: unknown) => {
        calls.push({ channel: c, input });
        return overrides[c] ? overrides[c]!(input) : { echoed: true };
      },
    ]),
  ) as unknown as IpcServices;
  const router = createIpcRouter({
    services,
    isTrustedSender: createSenderCheck({
      isOurWebContents: (id) => id === OUR_ID,
      trustedOrigins: ['app://spokesmith'],
    }),
    logger: {
      warn: (message, fields) => logs.push({ level: 'warn', message, fields }),
      error: (message, fields) => logs.push({ level: 'error', message, fields }),
    },
  });
  return { router, calls, logs };
}

const validInput: Record<ChannelName, unknown> = {
  'app:info:get': {},
  'app:instances:list': {},
  'app:instances:save': { name: 'Acme', url: 'acme', authMethod: 'basic', username: 'admin', password: 'pw' },
  'app:instances:remove': { id: 'acme' },
  'app:instances:test': { id: 'acme' },
  'app:drafts:get': { id: 'acme' },
  'app:drafts:save': { id: 'acme', main: {}, clientCred: {} },
  'app:discover:run': { id: 'acme' },
  'app:plan:create': { id: 'acme', main: {}, clientCred: {} },
  'app:apply:run': { id: 'acme', main: {}, clientCred: {} },
  'app:apply:resume': { id: 'acme' },
  'app:rollback:plan': { id: 'acme' },
  'app:rollback:run': { id: 'acme' },
  'app:history:list': { id: 'acme' },
  'app:history:get': { id: 'acme', applyId: 'a1' },
  'app:report:export': { id: 'acme', applyId: 'a1', format: 'html' },
  'app:tokens:status': { id: 'acme' },
  'app:links:open': { url: 'https://example.com/' },
  'app:snapshot:get': { id: 'acme' },
  'app:fleet:plan': { ids: ['acme', 'globex'] },
  'app:fleet:apply': { ids: ['acme'], concurrency: 4 },
  'app:queue:list': {},
  'app:queue:cancel': { id: 'entry-1' },
  'app:queue:drain': {},
  'app:queue:clear': {},
  'app:drift:check': {},
  'app:templates:list': {},
  'app:templates:save': { name: 'acme-style', variables: [{ name: 'customer' }], main: {}, clientCred: {} },
  'app:templates:remove': { name: 'acme-style' },
  'app:templates:apply': { name: 'acme-style', ids: ['acme'] },
  'app:transfer:export': { what: 'instances', format: 'csv' },
  'app:transfer:import': { what: 'templates' },
  'app:workspace:info': {},
  'app:workspace:choose': {},
  'app:entra:status': { id: 'acme' },
  'app:entra:secret': { id: 'acme', secret: 'not-a-real-secret' },
  'app:entra:forget': { id: 'acme' },
  'app:entra:check': { id: 'acme', tenant: 'contoso.onmicrosoft.com', clientId: 'x' },
  'app:entra:demo': { id: 'local-demo' },
  'app:walkup:check': { id: 'acme', fresh: true },
  'app:settings:get': {},
  'app:settings:save': { entraAuthority: null },
};

describe('IPC router', () => {
  it('passes a valid request from our window to the service and wraps the value', async () => {
    const { router, calls } = setup();
    for (const channel of CHANNEL_NAMES) {
      expect(await router.handle(channel, ours, validInput[channel])).toEqual({
        ok: true,
        value: { echoed: true },
      });
    }
    expect(calls.map((c) => c.channel)).toEqual([...CHANNEL_NAMES]);
    // The service gets zod's output: trimmed strings.
    await router.handle('app:instances:save', ours, {
      ...(validInput['app:instances:save'] as object),
      name: '  Acme  ',
    });
    expect((calls.at(-1)!.input as { name: string }).name).toBe('Acme');
  });

  it('refuses foreign senders before parsing and logs the reason', async () => {
    const { router, calls, logs } = setup();
    const foreign: IpcSenderInfo[] = [
      { sender: { id: 2 }, senderFrame: { url: 'app://spokesmith/index.html', parent: null } },
      { sender: { id: OUR_ID }, senderFrame: { url: 'app://spokesmith/index.html', parent: {} } },
      { sender: { id: OUR_ID }, senderFrame: { url: 'https://evil.example/', parent: null } },
      { sender: { id: OUR_ID }, senderFrame: null },
    ];
    for (const event of foreign) {
      const result = await router.handle('app:instances:list', event, {});
      expect(result).toMatchObject({ ok: false, code: 'forbidden_sender' });
    }
    expect(calls).toEqual([]);
    expect(logs.filter((l) => l.message.includes('untrusted sender')).map((l) => l.fields?.reason)).toEqual([
      'not one of our windows',
      'sent from a subframe',
      'untrusted origin https://evil.example',
      'sender frame is gone',
    ]);
  });

  it('answers invalid_input with the field messages, never calling the service', async () => {
    const { router, calls } = setup();
    const result = await router.handle('app:instances:save', ours, {
      name: '',
      url: 'x',
      authMethod: 'ntlm',
      username: 'u',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe('invalid_input');
    expect(result.message).toContain('name: Name is required.');
    expect(result.message).toContain('authMethod');
    expect(calls).toEqual([]);
  });

  it('a payload the schema rejects never reaches a service and always answers invalid_input (property)', async () => {
    const { router, calls } = setup();
    const payload = fc.oneof(
      fc.anything(),
      fc.dictionary(fc.string(), fc.anything()),
      fc.record(
        { id: fc.string(), applyId: fc.anything(), url: fc.anything(), format: fc.string() },
        { requiredKeys: [] },
      ),
      fc.record(
        {
          ids: fc.oneof(fc.array(fc.string()), fc.anything()),
          concurrency: fc.oneof(fc.integer(), fc.double(), fc.anything()),
          name: fc.string(),
          what: fc.constantFrom('instances', 'templates', 'other', 1),
          format: fc.constantFrom('csv', 'json', 'html', null),
          useDefault: fc.anything(),
          variables: fc.anything(),
        },
        { requiredKeys: [] },
      ),
    );
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CHANNEL_NAMES), payload, async (channel, raw) => {
        const before = calls.length;
        const result = await router.handle(channel, ours, raw);
        if (CHANNELS[channel].input.safeParse(raw).success) {
          // e.g. `{}` for app:info:get: valid, so it may pass.
          expect(result.ok).toBe(true);
          return;
        }
        rejected += 1;
        expect(result).toMatchObject({ ok: false, code: 'invalid_input' });
        expect(calls.length).toBe(before);
      }),
      { numRuns: 500 },
    );
    // The property must have exercised the refusal path, not only valid payloads.
    expect(rejected).toBeGreaterThan(400);
  });

  it('near-valid payloads of the many-instance channels: one field replaced or one key added (property)', async () => {
    const { router, calls } = setup();
    const channels = CHANNEL_NAMES.filter(
      (c) => CHANNEL_NAMES.indexOf(c) >= CHANNEL_NAMES.indexOf('app:snapshot:get'),
    );
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...channels),
        fc.string({ maxLength: 12 }),
        fc.anything(),
        fc.boolean(),
        async (channel, key, junk, replaceExisting) => {
          const valid = validInput[channel] as Record<string, unknown>;
          const keys = Object.keys(valid);
          const target = replaceExisting && keys.length ? keys[key.length % keys.length]! : key;
          const raw = { ...valid, [target]: junk };
          const before = calls.length;
          const result = await router.handle(channel, ours, raw);
          if (CHANNELS[channel].input.safeParse(raw).success) {
            expect(result.ok).toBe(true);
            return;
          }
          rejected += 1;
          expect(result).toMatchObject({ ok: false, code: 'invalid_input' });
          expect(calls.length).toBe(before);
        },
      ),
      { numRuns: 500 },
    );
    expect(rejected).toBeGreaterThan(300);
  });

  it('maps AppError and ServiceNowError to their codes and anything else to a generic internal error', async () => {
    const secret = 'hunter2-secret';
    const { router, logs } = setup({
      'app:instances:test': async () => {
        throw new ServiceNowError({
          code: 'bad_credentials',
          message: 'The instance rejected the user name or password.',
          status: 401,
          ambiguous: false,
        });
      },
      'app:discover:run': async () => {
        throw new AppError('not_found', 'There is no instance "acme".');
      },
      'app:drafts:get': async () => {
        throw new TypeError(`cannot read password ${secret} of undefined`);
      },
    });
    expect(await router.handle('app:instances:test', ours, { id: 'acme' })).toEqual({
      ok: false,
      code: 'bad_credentials',
      message: 'The instance rejected the user name or password.',
    });
    expect(await router.handle('app:discover:run', ours, { id: 'acme' })).toEqual({
      ok: false,
      code: 'not_found',
      message: 'There is no instance "acme".',
    });
    const internal = await router.handle('app:drafts:get', ours, { id: 'acme' });
    expect(internal).toMatchObject({ ok: false, code: 'internal' });
    expect(JSON.stringify(internal)).not.toContain(secret);
    expect(JSON.stringify(internal)).not.toContain('TypeError');
    // The details go to the log (where the logger masks registered secrets), not to the renderer.
    expect(logs.find((l) => l.level === 'error')?.fields?.channel).toBe('app:drafts:get');
  });

  it('refuses an unknown channel', async () => {
    const { router, calls } = setup();
    const result = await router.handle('app:shell:exec' as ChannelName, ours, {});
    expect(result).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(calls).toEqual([]);
  });
});
