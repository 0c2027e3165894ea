// First journey through the whole stack in Chromium: the built renderer loads, and window.api goes
// renderer → real preload → real main handlers → workspace, simulator and ServiceNow client for real.
import { callApi, expect, test } from './harness/fixture';

interface Ok<T> {
  ok: true;
  value: T;
}

test('the app loads and window.api lists the demo instance, then discovers it', async ({ app }) => {
  const { page } = app;
  await expect(page).toHaveTitle('Spokesmith');
  expect(await page.evaluate(() => typeof (globalThis as { api?: unknown }).api)).toBe('object');

  const info = (await callApi(page, 'infoGet')) as Ok<{
    demoInstanceId: string;
    keychain: { available: boolean };
  }>;
  expect(info.ok).toBe(true);
  expect(info.value.keychain.available).toBe(false);
  const demoId = info.value.demoInstanceId;
  expect(demoId).toBeTruthy();

  const list = (await callApi(page, 'instancesList')) as Ok<
    { id: string; isDemo: boolean; secretConfigured: boolean; status: string; url: string }[]
  >;
  expect(list.ok).toBe(true);
  const demo = list.value.find((i) => i.id === demoId);
  expect(demo).toMatchObject({ isDemo: true, secretConfigured: true, status: 'not_checked' });
  expect(demo!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

  const discovered = (await callApi(page, 'discoverRun', { id: demoId })) as Ok<{
    snapshot: { spoke: { installed: boolean }; instanceUrl: string } | null;
    notReady: unknown;
  }>;
  expect(discovered).toMatchObject({ ok: true, value: { notReady: null } });
  expect(discovered.value.snapshot?.spoke.installed).toBe(true);
  expect(discovered.value.snapshot?.instanceUrl).toBe(demo!.url);

  const after = (await callApi(page, 'instancesList')) as Ok<
    { id: string; status: string; lastDiscoveredAt: string | null }[]
  >;
  const demoAfter = after.value.find((i) => i.id === demoId)!;
  expect(demoAfter.status).toBe('ready');
  expect(demoAfter.lastDiscoveredAt).not.toBeNull();
});

test('apply on the demo instance streams progress events to window.api.onApplyProgress', async ({ app }) => {
  const { page } = app;
  const demoId = ((await callApi(page, 'infoGet')) as Ok<{ demoInstanceId: string }>).value.demoInstanceId;
  const draft = (await callApi(page, 'draftsGet', { id: demoId })) as Ok<{
    main: unknown;
    clientCred: unknown;
  }>;
  expect((await callApi(page, 'discoverRun', { id: demoId })) as Ok<unknown>).toMatchObject({ ok: true });

  const outcome = await page.evaluate(
    async ([id, forms]) => {
      type Progress = { instanceId: string; phase: string; step: number; total: number };
      const api = (
        globalThis as unknown as {
          api: {
            onApplyProgress(l: (p: Progress) => void): () => void;
            applyRun(i: unknown): Promise<{ ok: boolean; value?: { status: string } }>;
          };
        }
      ).api;
      const seen: Progress[] = [];
      const off = api.onApplyProgress((p) => seen.push(p));
      const result = await api.applyRun({ id, ...(forms as object) });
      // Events are delivered asynchronously; wait for the final one.
      for (let i = 0; i < 100 && !seen.some((p) => p.phase === 'done'); i += 1) {
        await new Promise((r) => setTimeout(r, 20));
      }
      off();
      return { result, seen };
    },
    [demoId, { main: draft.value.main, clientCred: draft.value.clientCred }] as const,
  );
  expect(outcome.result).toMatchObject({ ok: true, value: { status: 'succeeded' } });
  expect(outcome.seen.length).toBeGreaterThan(1);
  expect(outcome.seen.every((p) => p.instanceId === demoId)).toBe(true);
  expect(outcome.seen.some((p) => p.phase === 'done')).toBe(true);
  // Sent by the real main through its window's webContents (beside the progress, main may also send
  // app:queue:changed and app:workspace:changed while the apply writes the workspace).
  const sent = app.main.recorder.windows[0]!.webContents.sent;
  expect(sent.filter((s) => s.channel === 'app:apply:progress').length).toBe(outcome.seen.length);

  const list = (await callApi(page, 'instancesList')) as Ok<{ id: string; status: string }[]>;
  expect(list.value.find((i) => i.id === demoId)!.status).toBe('provisioned');
});
