// What a consultant does in the window, step by step, by role and label (the journeys share these), plus
// the simulated customer instance behind an https front and the screenshots each journey saves.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import { startSimulator, type ScenarioName, type Simulator } from '../../../src/main/simulator';
import { ROOT } from '../harness/paths';
import { startTlsFront } from '../harness/tls-front';

/** The window size of every journey (and of the README screenshots). */
export const WINDOW = { width: 1280, height: 800 } as const;

export const SCREENSHOT_DIR = join(ROOT, 'test-results', 'screenshots');

/**
 * Saves the whole window as test-results/screenshots/<journey>-<step>.png, the screen scrolled to its top,
 * or to `from` (an element brought to the top of the screen).
 */
export async function screenshot(page: Page, journey: string, step: string, from?: Locator): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  if (from) await from.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  else await page.locator('main').evaluate((el) => el.scrollTo(0, 0));
  const path = join(SCREENSHOT_DIR, `${journey}-${step}.png`);
  await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
  return path;
}

export interface CustomerInstance {
  sim: Simulator;
  /** The https address a consultant types (the simulator behind a TLS front). */
  url: string;
  close(): Promise<void>;
}

export async function startCustomerInstance(scenario: ScenarioName): Promise<CustomerInstance> {
  const sim = await startSimulator({ scenario, port: 0 });
  const front = await startTlsFront(sim.url);
  return {
    sim,
    url: front.url,
    async close() {
      await front.close();
      await sim.close();
    },
  };
}

/** A simulated instance a consultant reaches on plain http loopback (the editor accepts it; no TLS front). */
export async function startLoopbackInstance(scenario: ScenarioName): Promise<CustomerInstance> {
  const sim = await startSimulator({ scenario, port: 0 });
  return { sim, url: sim.url, close: () => sim.close() };
}

/** Follows a link of the side navigation (the numbered steps or "Many instances"). */
export async function openScreen(page: Page, title: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Screens' })
    .getByRole('link', { name: title, exact: true })
    .click();
  await expect(page.getByRole('heading', { level: 2, name: title, exact: true })).toBeVisible();
}

/** The header's network and queue indicator (a button that opens the offline queue). */
/** The few DOM calls linesOf makes in the page (this file is type-checked without the DOM library). */
interface PageDom {
  createTreeWalker(root: unknown, whatToShow: number): { nextNode(): { textContent: string | null } | null };
  createRange(): {
    setStart(node: unknown, offset: number): void;
    setEnd(node: unknown, offset: number): void;
    getClientRects(): ArrayLike<{ top: number }>;
  };
}

/**
 * How many lines `text` is laid out on inside `container` (a name broken mid-word takes two). The text may
 * span several text nodes (a <wbr> splits a name into parts).
 */
export async function linesOf(container: Locator, text: string): Promise<number> {
  return container.evaluate((root, wanted) => {
    const dom = (globalThis as unknown as { document: PageDom }).document;
    const SHOW_TEXT = 4; // NodeFilter.SHOW_TEXT
    const walker = dom.createTreeWalker(root, SHOW_TEXT);
    const nodes: Array<{ node: { textContent: string | null }; start: number }> = [];
    let all = '';
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      nodes.push({ node, start: all.length });
      all += node.textContent ?? '';
    }
    const at = all.indexOf(wanted);
    if (at < 0) throw new Error(`"${wanted}" is not shown here.`);
    const end = at + wanted.length;
    const holding = (offset: number, isEnd: boolean) =>
      nodes.findLast((n) => (isEnd ? n.start < offset : n.start <= offset))!;
    const first = holding(at, false);
    const last = holding(end, true);
    const range = dom.createRange();
    range.setStart(first.node, at - first.start);
    range.setEnd(last.node, end - last.start);
    return new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top))).size;
  }, text);
}

export function networkIndicator(page: Page): Locator {
  return page.getByRole('button', { name: /show the offline queue/ });
}

export interface InstanceFields {
  name: string;
  url: string;
  username: string;
  password: string;
}

export function instanceCard(page: Page, name: string): Locator {
  return page.getByRole('article', { name });
}

/** Instances → Add instance → the editor → Save; waits until the new instance is listed. */
export async function addInstance(page: Page, fields: InstanceFields): Promise<void> {
  await page.getByRole('button', { name: 'Add instance' }).click();
  const editor = page.getByRole('form', { name: 'Add instance' });
  await editor.getByLabel('Name', { exact: true }).fill(fields.name);
  await editor.getByLabel('Instance URL').fill(fields.url);
  await editor.getByLabel('Authentication').selectOption({ label: 'Basic (user name and password)' });
  await editor.getByLabel('User name').fill(fields.username);
  await editor.getByLabel('Password').fill(fields.password);
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(editor).toBeHidden({ timeout: 15_000 });
  await expect(instanceCard(page, fields.name)).toBeVisible();
}

export async function testConnection(page: Page, name: string): Promise<Locator> {
  const card = instanceCard(page, name);
  await card.getByRole('button', { name: 'Test connection' }).click();
  const status = card.getByRole('status');
  await expect(status).toBeVisible({ timeout: 15_000 });
  return status;
}

export async function openConnections(page: Page, name: string): Promise<void> {
  await instanceCard(page, name).getByRole('button', { name: 'Open connections' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Connections' })).toBeVisible();
}

export async function discover(page: Page): Promise<void> {
  const button = page.getByRole('button', { name: 'Discover', exact: true });
  await button.click();
  await expect(button).toBeEnabled({ timeout: 15_000 });
  await expect(page.getByText(/^Last discovered: (?!never)/)).toBeVisible();
}

export const TABLE_1 = 'Table 1 — Microsoft_Exchange_Online';
export const TABLE_2 = 'Table 2 — Microsoft_Exchange_Online_clientCred';

/** One of the two side-by-side forms (or, on the Review screen, one column of the before/after). */
export function table(page: Page, title: typeof TABLE_1 | typeof TABLE_2): Locator {
  return page.getByRole('region', { name: title, exact: true });
}

/** Types into a field and leaves it, as a person does: the field is then "touched". */
export async function typeInto(field: Locator, value: string): Promise<void> {
  await field.fill(value);
  await field.blur();
}

/** Connections → Review plan; waits for the Review screen. */
export async function reviewPlan(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Review plan' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Review' })).toBeVisible({ timeout: 15_000 });
}

/** Review → Apply → Confirm apply; waits until the apply has finished (either way). */
export async function applyAndConfirm(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  const confirm = page.getByRole('alertdialog');
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Confirm apply' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Apply' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'What was written' })).toBeVisible({ timeout: 20_000 });
}

/** The Table API view of the simulator's db: rows of a table by name. */
export function rowsNamed(sim: Simulator, tableName: string, name: string) {
  return sim.db.filter(tableName, (r) => r.name === name);
}

/** Adds the customer instance with the simulator's admin credentials, opens its forms and discovers. */
export async function addAndDiscover(page: Page, instance: CustomerInstance, name: string): Promise<void> {
  await addInstance(page, {
    name,
    url: instance.url,
    username: instance.sim.users.admin.userName,
    password: instance.sim.users.admin.password,
  });
  await openConnections(page, name);
  await discover(page);
}

/** Active connections on one of the spoke's aliases, as the simulator's db holds them. */
export function activeConnectionsOn(sim: Simulator, aliasSysId: string) {
  return sim.db.filter('http_connection', (r) => r.connection_alias === aliasSysId && r.active === 'true');
}
