// What main answers for many instances: fleet plans and outcomes, the queue, drift, templates, transfers.
import type { PlanOp } from '../../src/shared/domain/plan';
import type {
  DriftView,
  FleetApplyItem,
  FleetPlanItem,
  FleetPlanView,
  QueueItemView,
  QueueView,
  TemplateView,
} from '../../src/shared/ipc/contract';
import { blockedPlan, plan } from './fixtures';

export const counts = (
  create: number,
  update: number,
  noop: number,
  blocked = 0,
): Record<PlanOp, number> => ({
  create,
  update,
  noop,
  blocked,
  delete: 0,
});

export function planItem(over: Partial<FleetPlanItem> & { instanceId: string; name: string }): FleetPlanItem {
  return {
    ready: true,
    notReady: null,
    counts: counts(2, 1, 1),
    plan: plan(),
    snapshotAgeSeconds: 0,
    offline: false,
    issues: [],
    source: 'draft',
    ...over,
  };
}

/** Acme ready (2 new, 1 changed), Zeta ready but planned offline from a 2-hour-old snapshot, demo blocked. */
export function fleetPlan(): FleetPlanView {
  return {
    instances: [
      planItem({ instanceId: 'acme-dev', name: 'Acme Dev' }),
      planItem({
        instanceId: 'zeta',
        name: 'Zeta Prod',
        counts: counts(3, 0, 1),
        snapshotAgeSeconds: 7200,
        offline: true,
      }),
      planItem({
        instanceId: 'demo',
        name: 'Demo instance',
        ready: false,
        notReady: {
          reason: 'spoke_missing',
          message: 'The Microsoft Exchange Online spoke is not installed.',
        },
        counts: null,
        plan: null,
      }),
    ],
    totals: counts(5, 1, 2),
  };
}

export function blockedItem(): FleetPlanItem {
  return planItem({
    instanceId: 'acme-dev',
    name: 'Acme Dev',
    ready: false,
    notReady: { reason: 'blocked', message: 'A record is blocked.' },
    counts: counts(0, 0, 2, 1),
    plan: blockedPlan(),
  });
}

export function outcome(
  over: Partial<FleetApplyItem> & { instanceId: string; name: string },
): FleetApplyItem {
  return {
    status: 'provisioned',
    ok: true,
    code: null,
    message: 'Wrote 3 records and verified them.',
    counts: null,
    applyId: 'ap-1',
    queueEntryId: null,
    ...over,
  };
}

export function queueItem(over: Partial<QueueItemView> = {}): QueueItemView {
  return {
    id: 'q-1',
    instanceId: 'zeta',
    instanceName: 'Zeta Prod',
    status: 'waiting',
    reason: 'hibernating',
    requestedAt: new Date(Date.now() - 30 * 60_000).toISOString(),
    attempts: 2,
    lastAttemptAt: null,
    nextAttemptAt: null,
    lastError: null,
    applyId: null,
    finishedAt: null,
    ...over,
  };
}

export function queueView(
  items: QueueItemView[] = [queueItem()],
  unreachable: string[] = ['zeta'],
): QueueView {
  return {
    items,
    network: unreachable.map((instanceId) => ({
      instanceId,
      reachable: false,
      code: 'hibernating',
      message: 'The instance is hibernating.',
      checkedAt: new Date().toISOString(),
    })),
  };
}

export function driftView(): DriftView {
  return {
    drifted: ['zeta'],
    instances: [
      {
        instanceId: 'zeta',
        name: 'Zeta Prod',
        state: 'drift',
        message: '2 fields differ.',
        appliedAt: '2025-05-01T10:00:00.000Z',
        checkedAt: '2025-05-03T10:00:00.000Z',
        differences: [
          {
            record: 'Exchange_Online_Connection',
            table: 'http_connection',
            field: 'connection_url',
            applied: 'https://graph.microsoft.com',
            current: 'https://graph.microsoft.us',
          },
          {
            record: 'Exchange_Online_Credentials',
            table: 'oauth_2_0_credentials',
            field: '(record)',
            applied: 'present',
            current: 'absent',
          },
        ],
      },
      {
        instanceId: 'acme-dev',
        name: 'Acme Dev',
        state: 'matches',
        message: 'Matches.',
        appliedAt: '2025-05-01T10:00:00.000Z',
        checkedAt: '2025-05-03T10:00:00.000Z',
        differences: [],
      },
      {
        instanceId: 'demo',
        name: 'Demo instance',
        state: 'never_applied',
        message: 'Nothing was applied to this instance yet.',
        appliedAt: null,
        checkedAt: null,
        differences: [],
      },
    ],
  };
}

export function template(over: Partial<TemplateView> = {}): TemplateView {
  return {
    name: 'customer-standard',
    description: 'Naming convention for managed customers',
    variables: [{ name: 'customer', description: null, default: null }],
    main: { name: '{customer}_Exchange_Online_Connection' },
    clientCred: {},
    entra: null,
    usage: [{ variable: 'customer', fields: ['main.name'] }],
    revision: '0123456789abcdef',
    ...over,
  };
}
