import { describe, expect, it } from 'vitest';
import {
  CHANNEL_NAMES,
  EVENT_NAMES,
  apiName,
  eventApiName,
  isChannelName,
} from '../../../src/shared/ipc/channels';
import { CHANNELS } from '../../../src/shared/ipc/contract';

describe('IPC channel list', () => {
  it('names exactly the channels of the contract table (the preload bundles the list, main the table)', () => {
    expect([...CHANNEL_NAMES].sort()).toEqual(Object.keys(CHANNELS).sort());
    expect(new Set(CHANNEL_NAMES).size).toBe(CHANNEL_NAMES.length);
  });

  it('follows app:<noun>:<verb> and maps each channel to a distinct window.api name', () => {
    for (const c of CHANNEL_NAMES) expect(c).toMatch(/^app:[a-z]+:[a-z]+$/);
    const names = CHANNEL_NAMES.map(apiName);
    expect(new Set(names).size).toBe(names.length);
    expect(apiName('app:instances:list')).toBe('instancesList');
    expect(apiName('app:report:export')).toBe('reportExport');
    expect(EVENT_NAMES.map((e) => eventApiName(e))).toEqual([
      'onApplyProgress',
      'onFleetProgress',
      'onQueueChanged',
      'onWorkspaceChanged',
    ]);
  });

  it('recognises only listed channels', () => {
    expect(isChannelName('app:instances:list')).toBe(true);
    for (const bad of [
      'app:instances:drop',
      'instances:list',
      '',
      null,
      42,
      { toString: () => 'app:info:get' },
    ]) {
      expect(isChannelName(bad)).toBe(false);
    }
  });
});
