// The development and test switches of the desktop app, and the one rule for when they count. Each one
// weakens the app on purpose: SPOKESMITH_RENDERER_URL (or electron-vite's ELECTRON_RENDERER_URL) adds a
// trusted origin with full IPC access, SPOKESMITH_USER_DATA moves every file, SPOKESMITH_SECRET_STORE=memory
// bypasses the keychain, and DevTools open the renderer. So they are honoured only in an UNPACKAGED run
// that was started for development on purpose — with the `--spokesmith-dev` argument or SPOKESMITH_DEV=1 —
// and never in a packaged build (`app.isPackaged`), whatever the environment says (docs/reliability.md §1.4:
// DevTools off in production; §1.2 for the fuses that stop NODE_OPTIONS and RunAsNode in the build).

export const DEV_ARGUMENT = '--spokesmith-dev';
export const DEV_ENV = 'SPOKESMITH_DEV';

/** The environment variables that are switches (reported when present but ignored). */
const SWITCH_VARIABLES = [
  'SPOKESMITH_RENDERER_URL',
  'ELECTRON_RENDERER_URL',
  'SPOKESMITH_USER_DATA',
  'SPOKESMITH_SECRET_STORE',
  'SPOKESMITH_QUEUE_TIMER',
] as const;

export interface DevSwitchInput {
  isPackaged: boolean;
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
}

export interface DevSwitches {
  /** True only for an unpackaged run started with the development flag. */
  enabled: boolean;
  /** The renderer's development server; its origin becomes trusted. */
  rendererUrl: string | undefined;
  /** Replaces Electron's userData folder. */
  userDataDir: string | undefined;
  /** Keep secrets in memory instead of the OS keychain. */
  memorySecrets: boolean;
  /** DevTools (menu items and webPreferences.devTools). */
  devTools: boolean;
  /** SPOKESMITH_QUEUE_TIMER=manual: the offline queue retries only on "Try now" (the browser journeys). */
  manualQueueTimer: boolean;
  /** Switch variables that were set but not honoured, by name (values are never repeated). */
  ignored: string[];
}

export function devSwitches(input: DevSwitchInput): DevSwitches {
  const flagged = input.argv.includes(DEV_ARGUMENT) || input.env[DEV_ENV] === '1';
  const enabled = flagged && !input.isPackaged;
  const present = SWITCH_VARIABLES.filter((name) => Boolean(input.env[name]));
  if (!enabled) {
    return {
      enabled: false,
      rendererUrl: undefined,
      userDataDir: undefined,
      memorySecrets: false,
      devTools: false,
      manualQueueTimer: false,
      ignored: present,
    };
  }
  return {
    enabled: true,
    // electron-vite dev names its server in ELECTRON_RENDERER_URL; the browser test harness uses ours.
    rendererUrl: input.env.SPOKESMITH_RENDERER_URL || input.env.ELECTRON_RENDERER_URL || undefined,
    userDataDir: input.env.SPOKESMITH_USER_DATA || undefined,
    memorySecrets: input.env.SPOKESMITH_SECRET_STORE === 'memory',
    devTools: true,
    manualQueueTimer: input.env.SPOKESMITH_QUEUE_TIMER === 'manual',
    ignored: [],
  };
}
