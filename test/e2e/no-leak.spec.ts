// Secrets go renderer → main once and never come back: not in any IPC answer, not in the log file.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startSimulator } from '../../src/main/simulator';
import { callApi, expect, test } from './harness/fixture';

test('a password typed in the window never appears in an IPC answer or the log', async ({ app }) => {
  const sim = await startSimulator({ scenario: 'fresh', port: 0 });
  try {
    const base = {
      name: 'Leak check',
      url: sim.url,
      authMethod: 'basic',
      username: sim.users.admin.userName,
    };
    const wrong = 'Wrong-Pa55word-Typed-In-The-UI';
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
