// Issue 9, finding 9: the development switches of the desktop app count only in an unpackaged run started
// with the development flag, never in a packaged build.
import { describe, expect, it } from 'vitest';
import { DEV_ARGUMENT, DEV_ENV, devSwitches } from '../../../src/main/electron/dev-switches';

const SWITCHES = {
  SPOKESMITH_RENDERER_URL: 'http://127.0.0.1:5173',
  SPOKESMITH_USER_DATA: '/tmp/elsewhere',
  SPOKESMITH_SECRET_STORE: 'memory',
  SPOKESMITH_QUEUE_TIMER: 'manual',
};
const ARGV = ['/usr/bin/electron', '/app/out/main/index.js'];
const OFF = {
  enabled: false,
  rendererUrl: undefined,
  userDataDir: undefined,
  memorySecrets: false,
  devTools: false,
  manualQueueTimer: false,
};

describe('devSwitches', () => {
  it('ignores every switch in an unpackaged run without the development flag (npm start)', () => {
    const result = devSwitches({ isPackaged: false, argv: ARGV, env: SWITCHES });
    expect(result).toMatchObject(OFF);
    expect(result.ignored.sort()).toEqual(Object.keys(SWITCHES).sort());
  });

  it.each([
    ['the --spokesmith-dev argument', [...ARGV, DEV_ARGUMENT], SWITCHES],
    ['SPOKESMITH_DEV=1', ARGV, { ...SWITCHES, [DEV_ENV]: '1' }],
    ['both', [...ARGV, DEV_ARGUMENT], { ...SWITCHES, [DEV_ENV]: '1' }],
  ])('ignores every switch in a packaged build, even with %s', (_label, argv, env) => {
    const result = devSwitches({ isPackaged: true, argv, env });
    expect(result).toMatchObject(OFF);
    expect(result.ignored).toContain('SPOKESMITH_RENDERER_URL');
  });

  it('honours the switches in an unpackaged run with --spokesmith-dev', () => {
    expect(devSwitches({ isPackaged: false, argv: [...ARGV, DEV_ARGUMENT], env: SWITCHES })).toEqual({
      enabled: true,
      rendererUrl: 'http://127.0.0.1:5173',
      userDataDir: '/tmp/elsewhere',
      memorySecrets: true,
      devTools: true,
      manualQueueTimer: true,
      ignored: [],
    });
  });

  it('honours them with SPOKESMITH_DEV=1, and takes electron-vite’s ELECTRON_RENDERER_URL', () => {
    const result = devSwitches({
      isPackaged: false,
      argv: ARGV,
      env: { [DEV_ENV]: '1', ELECTRON_RENDERER_URL: 'http://localhost:5173' },
    });
    expect(result).toMatchObject({ enabled: true, rendererUrl: 'http://localhost:5173', devTools: true });
    expect(result.memorySecrets).toBe(false);
    expect(result.userDataDir).toBeUndefined();
  });

  it.each(['0', 'true', 'yes', ''])('SPOKESMITH_DEV=%j is not the flag', (value) => {
    expect(
      devSwitches({ isPackaged: false, argv: ARGV, env: { ...SWITCHES, [DEV_ENV]: value } }).enabled,
    ).toBe(false);
  });

  it('an argument that only looks like the flag is not the flag', () => {
    const argv = [...ARGV, '--spokesmith-dev=0', '--spokesmith-developer'];
    expect(devSwitches({ isPackaged: false, argv, env: SWITCHES }).enabled).toBe(false);
  });
});
