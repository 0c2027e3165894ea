// The customer report laid out by a real browser: at the window widths a consultant uses (1024 and
// 1280 px) nothing runs off the page — the authorize URL (one 300-character word) was 1441 px wide.
import { expect, test } from '@playwright/test';
import type { ApplyRecord } from '../../src/shared/domain/apply';
import { defaultDesiredState } from '../../src/shared/domain/desired-state';
import { buildNextSteps } from '../../src/shared/domain/next-steps';
import { buildPlan } from '../../src/shared/domain/planner';
import { renderReport } from '../../src/shared/domain/report';
import { freshSnapshot, IDS } from '../unit/engine/snapshot-fixtures';

function appliedRecord(): ApplyRecord {
  const snapshot = freshSnapshot();
  const plan = buildPlan(snapshot, defaultDesiredState(), new Date('2026-03-01T10:00:00Z'));
  return {
    version: 1,
    applyId: '20260301T100000Z-abc123',
    kind: 'apply',
    instanceUrl: snapshot.instanceUrl,
    startedAt: '2026-03-01T10:00:00.000Z',
    finishedAt: '2026-03-01T10:00:02.000Z',
    status: 'succeeded',
    plan,
    steps: plan.actions.map((a, i) => ({
      actionId: a.id,
      table: a.table,
      name: a.name,
      op: a.op,
      status: 'done',
      sysId: `0123456789abcdef0123456789abcde${i}`,
    })),
    records: [],
    verification: { ok: true, checkedAt: '2026-03-01T10:00:02.000Z', requests: 2 },
    nextSteps: buildNextSteps(snapshot.instanceUrl, [
      {
        name: 'Exchange_Online_Credentials',
        sysId: '0123456789abcdef0123456789abcde0',
        grant: 'authorization_code',
        profileSysId: IDS.profileAuthCode,
      },
    ]),
    requests: 8,
  };
}

for (const width of [1024, 1280]) {
  test(`the report fits a ${width} px window: the authorize URL wraps`, async ({ page }) => {
    await page.setViewportSize({ width, height: 800 });
    await page.setContent(renderReport(appliedRecord(), { format: 'html', instanceName: 'ACME' }));
    const link = page.getByRole('link', { name: /oauth_initiator\.do/ });
    await expect(link).toBeVisible();
    // Runs in the page (this file is type-checked without the DOM library).
    const overflow = await page.evaluate(() => {
      const page = globalThis as unknown as {
        document: { documentElement: { scrollWidth: number } };
        innerWidth: number;
      };
      return page.document.documentElement.scrollWidth - page.innerWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    const box = await link.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(width);
  });
}
