// Secrets go renderer → main once and never come back. A unique canary password is typed into the
// instance editor's password field for an instance that really accepts it; then the whole journey runs
// (test connection, discover, plan, apply, export a report). The canary — as typed, and as it travels in
// a Basic Authorization header — must appear in no file under the app's data folder or the exported
// report (every file, text or binary), no log line, no IPC answer or event, and not in the page's DOM. The
// same for a canary Entra client secret typed in the Entra card (issue 10): it goes to main once, to the
// keychain, and no answer, workspace file, log or page state holds it afterwards.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator } from '../../src/main/simulator';
import { callApi, expect, test } from './harness/fixture';
import {
  WINDOW,
  addAndDiscover,
  applyAndConfirm,
  discover,
  openConnections,
  reviewPlan,
  startCustomerInstance,
  testConnection,
  typeInto,
} from './journeys/ui';

test.use({ viewport: WINDOW });

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** The forms a secret can take on its way: as typed, UTF-16, and inside a Basic Authorization header. */
function secretForms(userName: string, secret: string): Buffer[] {
  return [
    Buffer.from(secret, 'utf8'),
    Buffer.from(secret, 'utf16le'),
    Buffer.from(encodeURIComponent(secret), 'utf8'),
    Buffer.from(Buffer.from(`${userName}:${secret}`).toString('base64'), 'utf8'),
  ];
}

test('a canary password typed in the instance editor appears in no file, log, IPC answer or DOM', async ({
  app,
}) => {
  test.setTimeout(90_000);
  const { page } = app;
  const instance = await startCustomerInstance('fresh');
  const exportDir = await mkdtemp(join(tmpdir(), 'spokesmith-e2e-export-'));
  const canary = `Canary-${randomBytes(12).toString('hex')}`;
  const { sim } = instance;
  const admin = sim.users.admin;
  try {
    // The instance's admin gets the canary as password, the way an admin sets one: a Table API write
    // with sysparm_input_display_value=true (password2 fields are stored usable only then).
    const adminRow = sim.db.find('sys_user', (u) => u.user_name === admin.userName);
    const basic = (password: string) =>
      `Basic ${Buffer.from(`${admin.userName}:${password}`).toString('base64')}`;
    const set = await fetch(
      `${sim.url}/api/now/table/sys_user/${adminRow?.sys_id}?sysparm_input_display_value=true`,
      {
        method: 'PATCH',
        headers: {
          authorization: basic(admin.password),
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify({ user_password: canary }),
      },
    );
    expect(set.status).toBe(200);
    const probe = await fetch(`${sim.url}/api/now/table/sys_user?sysparm_limit=1`, {
      headers: { authorization: basic(canary), accept: 'application/json' },
    });
    expect(probe.status, 'the instance now accepts the canary').toBe(200);

    // Typed in the editor's password field.
    await page.getByRole('button', { name: 'Add instance' }).click();
    const editor = page.getByRole('form', { name: 'Add instance' });
    await editor.getByLabel('Name', { exact: true }).fill('Canary Corp');
    await editor.getByLabel('Instance URL').fill(instance.url);
    await editor.getByLabel('User name').fill(admin.userName);
    const password = editor.getByLabel('Password');
    await expect(password).toHaveAttribute('type', 'password');
    await password.pressSequentially(canary);
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect(editor).toBeHidden({ timeout: 15_000 });

    // The whole journey with the canary as the only way in.
    await expect(await testConnection(page, 'Canary Corp')).toContainText(`Connected as ${admin.userName}.`);
    await openConnections(page, 'Canary Corp');
    await discover(page);
    await reviewPlan(page);
    await applyAndConfirm(page);
    await expect(page.getByRole('status').filter({ hasText: 'Applied and verified.' })).toBeVisible();
    expect(sim.db.rows('http_connection')).toHaveLength(2);

    const reportPath = join(exportDir, 'canary-report.html');
    app.setSavePath(reportPath);
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'History' }).click();
    await page
      .getByRole('button', { name: /^View apply of / })
      .first()
      .click();
    await page.getByRole('button', { name: 'Export report' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Report saved to' })).toBeVisible();

    // Files: every file under the data folder and the exported report, read as bytes.
    const forms = secretForms(admin.userName, canary);
    const files = [...(await filesUnder(app.userDataDir)), ...(await filesUnder(exportDir))];
    expect(files).toContain(reportPath);
    // instances.json, drafts, snapshots, the journal and apply record, the log, the report at least.
    expect(files.length).toBeGreaterThan(5);
    expect(files.some((f) => f.endsWith(join('logs', 'main.log')))).toBe(true);
    for (const file of files) {
      const bytes = await readFile(file);
      for (const form of forms) expect(bytes.includes(form), `${file} holds the canary`).toBe(false);
    }
    const log = await readFile(join(app.userDataDir, 'logs', 'main.log'), 'utf8');
    expect(log.length).toBeGreaterThan(0);

    // IPC: every answer main gave and every event it sent; the canary went in exactly once (the save).
    const answers = JSON.stringify(app.exchanges.map((e) => e.response));
    const events = JSON.stringify(app.main.recorder.windows.flatMap((w) => w.webContents.sent));
    for (const form of forms.map((f) => f.toString('utf8'))) {
      expect(answers).not.toContain(form);
      expect(events).not.toContain(form);
    }
    const carried = app.exchanges.filter((e) => JSON.stringify(e.input).includes(canary));
    expect(carried.map((e) => e.channel)).toEqual(['app:instances:save']);
    expect(app.exchanges.length).toBeGreaterThan(8);

    // The DOM, attributes included (a password field's value is never serialized as an attribute).
    expect(await page.content()).not.toContain(canary);
  } finally {
    await instance.close();
    await rm(exportDir, { recursive: true, force: true });
  }
});

test('a wrong password typed in the window never appears in an IPC answer or the log', async ({ app }) => {
  const sim = await startSimulator({ scenario: 'fresh', port: 0 });
  try {
    const base = {
      name: 'Leak check',
      url: sim.url,
      authMethod: 'basic',
      username: sim.users.admin.userName,
    };
    const wrong = `Wrong-${randomBytes(12).toString('hex')}`;
    expect(await callApi(app.page, 'instancesSave', { ...base, password: wrong })).toMatchObject({
      ok: false,
      code: 'bad_credentials',
    });
    const saved = (await callApi(app.page, 'instancesSave', {
      ...base,
      password: sim.users.admin.password,
    })) as {
      ok: boolean;
      value: { id: string; secretConfigured: boolean };
    };
    expect(saved).toMatchObject({ ok: true, value: { secretConfigured: true } });
    const id = saved.value.id;
    await callApi(app.page, 'instancesTest', { id });
    await callApi(app.page, 'discoverRun', { id });
    await callApi(app.page, 'instancesList');

    const answers = JSON.stringify(app.exchanges.map((e) => e.response));
    expect(app.exchanges.length).toBeGreaterThanOrEqual(5);
    expect(answers).not.toContain(wrong);
    // The simulator's admin password is "spokesmith-demo"; no answer may carry it as a value.
    expect(answers).not.toMatch(/"(password|clientSecret)"/);
    const log = await readFile(join(app.userDataDir, 'logs', 'main.log'), 'utf8');
    expect(log.length).toBeGreaterThan(0);
    expect(log).not.toContain(wrong);
    expect(log).not.toContain(`"${sim.users.admin.password}"`);
  } finally {
    await sim.close();
  }
});

test('a canary Entra client secret typed in the Entra card appears in no IPC answer, file, log or page state', async ({
  app,
}) => {
  test.setTimeout(120_000);
  const { page } = app;
  const instance = await startCustomerInstance('fresh');
  const { sim } = instance;
  // The customer's Entra app really has the canary as its secret: the check passes and the apply writes it.
  const canary = `EntraCanary~${randomBytes(12).toString('hex')}`;
  sim.configureEntra({ clientSecret: canary });
  try {
    expect(await callApi(page, 'settingsSave', { entraAuthority: sim.entraApp.authority })).toMatchObject({
      ok: true,
    });
    await addAndDiscover(page, instance, 'Entra Canary Corp');
    const card = page.getByRole('region', { name: 'Microsoft Entra app' });
    await typeInto(card.getByLabel('Directory (tenant) ID'), sim.entraApp.tenantId);
    await typeInto(card.getByLabel('Application (client) ID'), sim.entraApp.clientId);
    const secret = card.getByLabel('Client secret', { exact: true });
    await expect(secret).toHaveAttribute('type', 'password');
    await secret.pressSequentially(canary);
    await secret.press('Enter');
    await expect(card.getByText('Secret stored', { exact: true })).toBeVisible();
    await card.getByRole('button', { name: 'Check Entra app' }).click();
    await expect(card.getByRole('status').filter({ hasText: 'Entra app checked.' })).toBeVisible({
      timeout: 15_000,
    });
    await reviewPlan(page);
    await applyAndConfirm(page);
    await expect(page.getByRole('status').filter({ hasText: 'Applied and verified.' })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Walk-up flows' })).toBeVisible();

    // Files: the workspace (drafts, snapshots, plans, journal, apply records), settings and the log.
    const forms = [
      Buffer.from(canary, 'utf8'),
      Buffer.from(canary, 'utf16le'),
      Buffer.from(encodeURIComponent(canary), 'utf8'),
      Buffer.from(Buffer.from(canary).toString('base64'), 'utf8'),
    ];
    const files = await filesUnder(app.userDataDir);
    expect(files.some((f) => f.endsWith('draft.json'))).toBe(true);
    expect(files.some((f) => f.endsWith(join('logs', 'main.log')))).toBe(true);
    for (const file of files) {
      const bytes = await readFile(file);
      for (const form of forms) expect(bytes.includes(form), `${file} holds the Entra canary`).toBe(false);
    }

    // IPC: no answer or event holds it; it went renderer → main exactly once, to be stored.
    const answers = JSON.stringify(app.exchanges.map((e) => e.response));
    const events = JSON.stringify(app.main.recorder.windows.flatMap((w) => w.webContents.sent));
    for (const form of forms.map((f) => f.toString('utf8'))) {
      expect(answers).not.toContain(form);
      expect(events).not.toContain(form);
    }
    const carried = app.exchanges.filter((e) => JSON.stringify(e.input).includes(canary));
    expect(carried.map((e) => e.channel)).toEqual(['app:entra:secret']);

    // The renderer keeps nothing: not in the DOM, no input's value, no web storage.
    expect(await page.content()).not.toContain(canary);
    const held = await page.evaluate(() => {
      const g = globalThis as unknown as {
        document: { querySelectorAll(s: string): ArrayLike<{ value: string }> };
        localStorage: { length: number; key(i: number): string | null; getItem(k: string): string | null };
        sessionStorage: { length: number; key(i: number): string | null; getItem(k: string): string | null };
      };
      const values = Array.from(g.document.querySelectorAll('input, textarea'), (el) => el.value);
      const stored = [g.localStorage, g.sessionStorage].flatMap((s) =>
        Array.from({ length: s.length }, (_, i) => s.getItem(s.key(i) ?? '') ?? ''),
      );
      return [...values, ...stored].join('\n');
    });
    expect(held).not.toContain(canary);
  } finally {
    await instance.close();
  }
});
