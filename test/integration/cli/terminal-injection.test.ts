// Issue 9, finding 3: names that come from an instance must not drive the terminal. The simulator's
// existing connections, their credentials and a MID server are renamed with a screen clear (CSI 2J), an
// OSC window-title sequence and a CR LF followed by a forged status line; discover, plan and apply must
// show them escaped, while our own colours (style.ts) still work.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, runCli, type Fixture } from './harness';

const CLEAR = '\u001b[2J';
const TITLE = '\u001b]0;pwned\u0007';
const FORGED = '\r\n✔ Apply on prod: succeeded';
const C1_CSI = '\u009b31m';
/** The colour sequences style.ts writes (spelled out here so the test does not trust the code under test). */
// eslint-disable-next-line no-control-regex -- our own ANSI colours
const STYLE_SEQUENCE = /\u001b\[(?:1|2|22|31|32|33|36|39)m/g;

let fx: Fixture;
let config: string;
beforeEach(async () => {
  fx = await fixture('wcs');
  // The desired state picks a MID Server by name; the instance answers with a hostile status for it.
  fx.sim.db.insert('ecc_agent', { name: 'mid01', status: `Down${TITLE}${FORGED}`, validated: 'true' });
  config = join(fx.workspace, 'desired.json');
  await writeFile(
    config,
    JSON.stringify({
      version: 1,
      connections: [
        { alias: 'Microsoft_Exchange_Online', useMid: true, midSelection: 'server', midServer: 'mid01' },
      ],
    }),
  );
  const mid = fx.sim.db.insert('ecc_agent', {
    name: `mid${CLEAR}${FORGED}`,
    status: 'Up',
    validated: 'true',
  });
  for (const connection of fx.sim.db.filter(
    'http_connection',
    (r) => r.name?.startsWith('MS Graph') ?? false,
  )) {
    fx.sim.db.update('http_connection', connection.sys_id!, {
      name: `${connection.name}${CLEAR}${TITLE}`,
      use_mid: 'true',
      mid_server: mid.sys_id!,
    });
    fx.sim.db.update('oauth_2_0_credentials', connection.credential!, {
      name: `cred${TITLE}${FORGED}${C1_CSI}`,
    });
  }
});
afterEach(() => fx.close());

/** Text with our own colour sequences removed: what is left must hold no control character but \n. */
function assertInert(text: string): void {
  const rest = text.replace(STYLE_SEQUENCE, '');
  // eslint-disable-next-line no-control-regex -- looking for raw controls is the test
  expect(rest.match(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g) ?? []).toEqual([]);
  expect(text).not.toContain(CLEAR);
  expect(text).not.toContain(TITLE);
  expect(text).not.toContain('\r');
  // The forged line never starts a line of its own.
  expect(text).not.toMatch(/^✔ Apply on prod/m);
}

describe('instance-supplied names in text output', () => {
  it('discover shows the hostile names escaped, keeping our colours', async () => {
    const r = await runCli(['discover', fx.sim.url, '--config', config], { env: fx.env, tty: true });
    expect(r.code, r.stderr).toBe(0);
    assertInert(r.stdout);
    assertInert(r.stderr);
    expect(r.stdout).toContain('MS Graph 1\\u001b[2J\\u001b]0;pwned\\u0007');
    expect(r.stdout).toContain('cred\\u001b]0;pwned\\u0007\\r\\n✔ Apply on prod: succeeded');
    expect(r.stdout).toContain('is Down\\u001b]0;pwned\\u0007\\r\\n✔ Apply on prod: succeeded');
    expect(r.stdout).toMatch(STYLE_SEQUENCE);
  });

  it('plan and apply show them escaped too', async () => {
    const plan = await runCli(['plan', fx.sim.url, '--config', config], { env: fx.env, tty: true });
    expect(plan.code, plan.stderr).toBe(0);
    assertInert(plan.stdout);
    assertInert(plan.stderr);
    expect(plan.stdout).toContain('\\u001b[2J');
    expect(plan.stdout).toContain('mid\\u001b[2J\\r\\n✔ Apply on prod: succeeded');
    expect(plan.stdout).toMatch(STYLE_SEQUENCE);

    const apply = await runCli(['apply', fx.sim.url, '--config', config, '--yes'], {
      env: fx.env,
      tty: true,
    });
    expect(apply.code, apply.stderr).toBe(0);
    assertInert(apply.stdout);
    assertInert(apply.stderr);
    expect(apply.stdout).toContain('\\u001b]0;pwned\\u0007');
  });

  it('--json keeps them as JSON escapes', async () => {
    const r = await runCli(['discover', fx.sim.url, '--json'], { env: fx.env });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain(CLEAR);
    expect(r.stdout).toContain('\\u001b[2J');
    const names = (
      JSON.parse(r.stdout) as { snapshot: { credentials: Array<{ name: string }> } }
    ).snapshot.credentials.map((c) => c.name);
    expect(names).toContain(`cred${TITLE}${FORGED}${C1_CSI}`);
  });
});
