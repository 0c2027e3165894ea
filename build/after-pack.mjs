// electron-builder `afterPack` hook: sets the Electron fuses of the packaged app, after packing and before
// signing, so the signature then protects them (docs/reliability.md §1.2). The packaged build cannot be
// started as plain Node (RunAsNode, NODE_OPTIONS, --inspect), keeps cookies encrypted, and loads only the
// integrity-checked app.asar. Every fuse is set explicitly and `strictlyRequireAllFuses` makes an Electron
// upgrade that adds a fuse fail the build until someone decides about it.
import { join } from 'node:path';
import { flipFuses, FuseV1Options, FuseVersion } from '@electron/fuses';

/** The fuse settings of every Spokesmith build, by fuse name. */
export const FUSES = {
  // `ELECTRON_RUN_AS_NODE=1 Spokesmith script.js` would run any script as the app. Main never forks.
  RunAsNode: false,
  // One-way (docs/reliability.md §1.2): needs a code-signed app on macOS for Keychain access.
  EnableCookieEncryption: true,
  // NODE_OPTIONS=--require … would load code into main. NODE_EXTRA_CA_CERTS goes with it; the client reads
  // that file itself (src/main/servicenow/transport.ts).
  EnableNodeOptionsEnvironmentVariable: false,
  // --inspect / SIGUSR1 would attach a debugger to main, where the secrets live.
  EnableNodeCliInspectArguments: false,
  // app.asar is checked against the hash electron-builder embeds (Info.plist on macOS, a resource on Windows).
  EnableEmbeddedAsarIntegrityValidation: true,
  // Without it Electron would also look for app/ and default_app.asar, bypassing the check above.
  OnlyLoadAppFromAsar: true,
  // Electron's defaults, stated so the build fails when a new fuse appears (strictlyRequireAllFuses).
  LoadBrowserProcessSpecificV8Snapshot: false,
  // The renderer is served over app:// (src/main/electron/protocol.ts), never file://.
  GrantFileProtocolExtraPrivileges: false,
  WasmTrapHandlers: true,
};

/** The @electron/fuses configuration for one packaged app. */
export function fuseConfig(platform) {
  const config = {
    version: FuseVersion.V1,
    strictlyRequireAllFuses: true,
    // Flipping fuses breaks the ad-hoc signature of a macOS (arm64) build; re-sign it ad hoc.
    resetAdHocDarwinSignature: platform === 'darwin' || platform === 'mas',
  };
  for (const [name, value] of Object.entries(FUSES)) {
    const option = FuseV1Options[name];
    if (option === undefined) throw new Error(`@electron/fuses does not know the fuse ${name}`);
    config[option] = value;
  }
  return config;
}

/** The file that carries the fuse wire, the way electron-builder names the packaged executable. */
export function electronBinaryPath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  switch (electronPlatformName) {
    case 'darwin':
    case 'mas':
      return join(appOutDir, `${packager.appInfo.productFilename}.app`);
    case 'win32':
      return join(appOutDir, `${packager.appInfo.productFilename}.exe`);
    default:
      return join(appOutDir, packager.executableName);
  }
}

export async function afterPack(context) {
  const binary = electronBinaryPath(context);
  await flipFuses(binary, fuseConfig(context.electronPlatformName));
  console.log(`  • fuses set in ${binary}`);
}

export default afterPack;
