// Types for the electron-builder hook in after-pack.mjs (plain JavaScript, because electron-builder loads
// it with Node alone), so tests can call it under strict TypeScript.
import type { FuseV1Config } from '@electron/fuses';

export interface PackContext {
  appOutDir: string;
  electronPlatformName: string;
  packager: { executableName: string; appInfo: { productFilename: string } };
}

export const FUSES: Readonly<Record<string, boolean>>;
export function fuseConfig(platform: string): FuseV1Config;
export function electronBinaryPath(context: PackContext): string;
export function afterPack(context: PackContext): Promise<void>;
export default afterPack;
