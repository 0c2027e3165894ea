// Issue 9, finding 9: the shipped build. Packaging itself downloads Electron and runs only in the GitHub
// workflow; here the packaging configuration is checked against electron-builder's own schema, and the
// afterPack hook is run against a stand-in Electron binary (a file carrying the fuse wire) to prove it
// sets every fuse as docs/reliability.md §1.2 asks.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FuseV1Options, FuseVersion, getCurrentFuseWire } from '@electron/fuses';
import { FuseState } from '@electron/fuses/dist/constants.js';
import { minVersion, satisfies } from 'semver';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { afterPack, electronBinaryPath, fuseConfig, fuseIndex } from '../../../build/after-pack.mjs';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const require = createRequire(import.meta.url);

interface BuildConfig {
  afterPack: string;
  electronFuses?: unknown;
  directories: { output: string; buildResources: string };
  files: string[];
  asar: boolean;
  linux: { target: string[] };
  mac: { target: string[] };
  win: { target: string[] };
}
interface PackageJson {
  engines: { node: string };
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
  build: BuildConfig;
}

const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as PackageJson;

describe('packaging configuration (package.json "build")', () => {
  it('is valid for electron-builder', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration(config: unknown, logger: unknown): Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(pkg.build, new DebugLogger(false))).resolves.toBeUndefined();
    // The check itself can fail: a misspelt option is refused.
    await expect(
      validateConfiguration({ ...pkg.build, afterPak: 'x' }, new DebugLogger(false)),
    ).rejects.toThrow(/afterPak/);
  });

  it('builds AppImage and deb, dmg, and an NSIS installer, from the asar-packed build output', () => {
    expect(pkg.build.linux.target).toEqual(['AppImage', 'deb']);
    expect(pkg.build.mac.target).toEqual(['dmg']);
    expect(pkg.build.win.target).toEqual(['nsis']);
    expect(pkg.build.asar).toBe(true);
    expect(pkg.build.files).toContain('out/**/*');
    expect(pkg.scripts['dist']).toMatch(/electron-vite build && electron-builder/);
    expect(pkg.devDependencies['electron-builder']).toMatch(/^[~^]?26\./);
  });

  it('installs on the Node the README promises: no dependency declares a newer Node', async () => {
    // Issue 12: electron-builder 26.18's @electron/rebuild 4 and node-abi 4, and @electron/fuses 2, declare
    // Node >= 22.12 and `npm install` warned EBADENGINE on Node 20.19. Every installed package's own
    // "engines" must accept the oldest Node the project supports.
    const oldest = minVersion(pkg.engines.node)?.version ?? pkg.engines.node;
    const lock = JSON.parse(await readFile(join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { engines?: { node?: string } | string[]; dev?: boolean }>;
    };
    const refusing = Object.entries(lock.packages)
      .filter(([, entry]) => {
        const node = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
        return node !== undefined && !satisfies(oldest, node, { includePrerelease: true });
      })
      .map(([path, entry]) => `${path} (${JSON.stringify(entry.engines)})`);
    expect(refusing).toEqual([]);
    expect(lock.packages['node_modules/electron-builder']).toBeDefined();
  });

  it('sets the fuses in one place: the afterPack hook, not electron-builder’s own electronFuses', () => {
    expect(pkg.build.afterPack).toBe('./build/after-pack.mjs');
    expect(pkg.build.electronFuses).toBeUndefined();
  });
});

describe('fuse configuration', () => {
  it.each([
    ['RunAsNode', false],
    ['EnableNodeOptionsEnvironmentVariable', false],
    ['EnableNodeCliInspectArguments', false],
    ['EnableCookieEncryption', true],
    ['EnableEmbeddedAsarIntegrityValidation', true],
    ['OnlyLoadAppFromAsar', true],
    ['GrantFileProtocolExtraPrivileges', false],
  ] as const)('%s is %s on every platform', (fuse, value) => {
    for (const platform of ['linux', 'darwin', 'win32']) {
      expect(fuseConfig(platform)[FuseV1Options[fuse]]).toBe(value);
    }
  });

  it('states every fuse the library knows, in the wire order, and re-signs macOS builds ad hoc', () => {
    const config = fuseConfig('linux');
    expect(config.version).toBe(FuseVersion.V1);
    const known = Object.values(FuseV1Options).filter((v): v is FuseV1Options => typeof v === 'number');
    for (const option of known) expect(typeof config[option]).toBe('boolean');
    for (const option of known) expect(fuseIndex(FuseV1Options[option])).toBe(option);
    expect(fuseIndex('WasmTrapHandlers')).toBe(8);
    expect(fuseConfig('darwin').resetAdHocDarwinSignature).toBe(true);
    expect(fuseConfig('linux').resetAdHocDarwinSignature).toBe(false);
  });

  it('finds the executable the way electron-builder names it on each system', () => {
    const packager = { executableName: 'spokesmith', appInfo: { productFilename: 'Spokesmith' } };
    const at = (electronPlatformName: string) =>
      electronBinaryPath({ appOutDir: '/o', electronPlatformName, packager });
    expect(at('linux')).toBe(join('/o', 'spokesmith'));
    expect(at('win32')).toBe(join('/o', 'Spokesmith.exe'));
    expect(at('darwin')).toBe(join('/o', 'Spokesmith.app'));
  });
});

describe('the afterPack hook on a stand-in Electron binary', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'spokesmith-fuses-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('flips the fuse wire of the packaged executable', async () => {
    // Electron's defaults as shipped: RunAsNode on, cookie encryption off, NODE_OPTIONS on, inspect on,
    // asar integrity off, only-asar off, V8 snapshot off, file:// privileges on, Wasm trap handlers on.
    const defaults = '101100011';
    const wire = Buffer.concat([
      Buffer.from('\u007fELF…padding…'),
      Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'),
      Buffer.from([1, defaults.length]),
      Buffer.from(defaults),
      Buffer.from('…rest of the binary'),
    ]);
    await writeFile(join(dir, 'spokesmith'), wire);
    await afterPack({
      appOutDir: dir,
      electronPlatformName: 'linux',
      packager: { executableName: 'spokesmith', appInfo: { productFilename: 'Spokesmith' } },
    });
    const fuses = await getCurrentFuseWire(join(dir, 'spokesmith'));
    const on = (option: FuseV1Options) => fuses[option] === FuseState.ENABLE;
    expect(on(FuseV1Options.RunAsNode)).toBe(false);
    expect(on(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe(false);
    expect(on(FuseV1Options.EnableNodeCliInspectArguments)).toBe(false);
    expect(on(FuseV1Options.EnableCookieEncryption)).toBe(true);
    expect(on(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe(true);
    expect(on(FuseV1Options.OnlyLoadAppFromAsar)).toBe(true);
    expect(on(FuseV1Options.GrantFileProtocolExtraPrivileges)).toBe(false);
  });

  it('fails the build when the Electron binary has a fuse the configuration does not decide', async () => {
    const tenFuses = '1011000110';
    await writeFile(
      join(dir, 'spokesmith'),
      Buffer.concat([
        Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'),
        Buffer.from([1, tenFuses.length]),
        Buffer.from(tenFuses),
      ]),
    );
    await expect(
      afterPack({
        appOutDir: dir,
        electronPlatformName: 'linux',
        packager: { executableName: 'spokesmith', appInfo: { productFilename: 'Spokesmith' } },
      }),
    ).rejects.toThrow(/has 10 fuses and build\/after-pack.mjs decides 9/);
  });

  it('fails the build when a fuse @electron/fuses 1.8 cannot write is not what FUSES wants', async () => {
    // WasmTrapHandlers (the ninth fuse) off: the library leaves it, the read-back catches it.
    await writeFile(
      join(dir, 'spokesmith'),
      Buffer.concat([
        Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'),
        Buffer.from([1, 9]),
        Buffer.from('101100010'),
      ]),
    );
    await expect(
      afterPack({
        appOutDir: dir,
        electronPlatformName: 'linux',
        packager: { executableName: 'spokesmith', appInfo: { productFilename: 'Spokesmith' } },
      }),
    ).rejects.toThrow(/WasmTrapHandlers is off, wanted on/);
  });

  it('build/verify-fuses.mjs (run by the workflow after packaging) passes the hooked app, fails an unhooked one', async () => {
    const app = join(dir, 'linux-unpacked');
    await mkdir(app);
    const binary = Buffer.concat([
      Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'),
      Buffer.from([1, 9]),
      Buffer.from('101100011'),
    ]);
    await writeFile(join(app, 'spokesmith'), binary);
    const verify = () =>
      promisify(execFile)(process.execPath, [join(ROOT, 'build', 'verify-fuses.mjs'), dir]);
    await expect(verify()).rejects.toMatchObject({
      stdout: expect.stringMatching(/FAIL .*RunAsNode is on, wanted off/),
    });
    await afterPack({
      appOutDir: app,
      electronPlatformName: 'linux',
      packager: { executableName: 'spokesmith', appInfo: { productFilename: 'Spokesmith' } },
    });
    const { stdout } = await verify();
    expect(stdout).toMatch(/ok {3}.*every fuse as build\/after-pack.mjs sets it/);
    expect(stdout).not.toContain('FAIL');
  });
});
