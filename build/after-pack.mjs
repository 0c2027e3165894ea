// electron-builder `afterPack` hook: sets the Electron fuses of the packaged app, after packing and before
// signing, so the signature then protects them (docs/reliability.md §1.2). The packaged build cannot be
// started as plain Node (RunAsNode, NODE_OPTIONS, --inspect), keeps cookies encrypted, and loads only the
// integrity-checked app.asar. Every fuse is decided here and an Electron upgrade that adds a fuse fails the
// build until someone decides about it.
//
// @electron/fuses is 1.8.0, the version electron-builder 26.0 itself depends on: 2.x declares Node ≥ 22.12
// and the README promises Node 20.19. 1.8.0 writes the first eight fuses of the wire; the ninth
// (WasmTrapHandlers) it cannot write, and its own `strictlyRequireAllFuses` refuses a wire longer than it
// knows. So this hook does the strict check itself: the wire must have exactly the fuses FUSES decides, a
// fuse the library cannot write must already hold the wanted value (Electron's default), and after flipping
// every fuse is read back.
import { join } from 'node:path';
import { FuseV1Options, FuseVersion, flipFuses, getCurrentFuseWire } from '@electron/fuses';
// 1.8.0 does not re-export the wire's state bytes from its index.
import { FuseState } from '@electron/fuses/dist/constants.js';

/**
 * The fuse settings of every Spokesmith build, by fuse name, in the order of Electron's fuse wire: a fuse's
 * position here is its index in the wire (fuseIndex checks that against the names the library knows).
 */
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
  // Electron's defaults, stated so the build fails when a new fuse appears.
  LoadBrowserProcessSpecificV8Snapshot: false,
  // The renderer is served over app:// (src/main/electron/protocol.ts), never file://.
  GrantFileProtocolExtraPrivileges: false,
  // Electron's default; @electron/fuses 1.8.0 cannot write it, so the hook only checks it.
  WasmTrapHandlers: true,
};

const NAMES = Object.keys(FUSES);

/** The index of a fuse in Electron's fuse wire. */
export function fuseIndex(name) {
  const index = NAMES.indexOf(name);
  if (index === -1) throw new Error(`build/after-pack.mjs does not decide the fuse ${name}`);
  const known = FuseV1Options[name];
  if (known !== undefined && known !== index) {
    throw new Error(`fuse ${name} is at index ${known} of the wire, not ${index}: reorder FUSES`);
  }
  return index;
}

/** Whether @electron/fuses can write the fuse at this index. */
function libraryWrites(index) {
  return FuseV1Options[index] !== undefined;
}

/** The @electron/fuses configuration for one packaged app: every fuse the library can write. */
export function fuseConfig(platform) {
  const config = {
    version: FuseVersion.V1,
    // The library's strict mode refuses wires longer than it knows; afterPack checks strictly instead.
    strictlyRequireAllFuses: false,
    // Flipping fuses breaks the ad-hoc signature of a macOS (arm64) build; re-sign it ad hoc.
    resetAdHocDarwinSignature: platform === 'darwin' || platform === 'mas',
  };
  for (const [name, value] of Object.entries(FUSES)) {
    const index = fuseIndex(name);
    if (libraryWrites(index)) config[index] = value;
  }
  return config;
}

/** Why a fuse wire (as getCurrentFuseWire reads it) has other fuses than FUSES decides; undefined if not. */
function undecidedFuses(wire) {
  const length = Object.keys(wire).filter((key) => key !== 'version').length;
  return length === NAMES.length
    ? undefined
    : `the Electron binary has ${length} fuses and build/after-pack.mjs decides ${NAMES.length}: ` +
        'decide every fuse of this Electron version in FUSES';
}

/** What in a fuse wire differs from FUSES, one line per fuse; [] if nothing. */
export function fuseMismatches(wire) {
  const undecided = undecidedFuses(wire);
  const wrong = undecided === undefined ? [] : [undecided];
  for (const [name, wanted] of Object.entries(FUSES)) {
    const actual = wire[fuseIndex(name)];
    if (actual !== (wanted ? FuseState.ENABLE : FuseState.DISABLE)) {
      wrong.push(`${name} is ${actual === FuseState.ENABLE ? 'on' : 'off'}, wanted ${wanted ? 'on' : 'off'}`);
    }
  }
  return wrong;
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
  const undecided = undecidedFuses(await getCurrentFuseWire(binary));
  if (undecided !== undefined) throw new Error(`fuses of ${binary}: ${undecided}`);
  await flipFuses(binary, fuseConfig(context.electronPlatformName));
  const wrong = fuseMismatches(await getCurrentFuseWire(binary));
  if (wrong.length > 0) throw new Error(`fuses of ${binary} after flipping: ${wrong.join('; ')}`);
  console.log(`  • fuses set in ${binary}`);
}

export default afterPack;
