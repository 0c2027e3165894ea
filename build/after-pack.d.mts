// Types for the electron-builder hook in after-pack.mjs (plain JavaScript, because electron-builder loads
// it with Node alone), so tests can call it under strict TypeScript.
import type { FuseV1Config } from '@electron/fuses';

export interface PackContext {
  appOutDir: string;
  electronPlatformName: string;
  packager: { executableName: string; appInfo: { productFilename: string } };
}

export const FUSES: Readonly<Record<string, boolean>>;
/** The @electron/fuses configuration: the fuses the library can write (strict checking is afterPack's). */
export function fuseConfig(platform: string): FuseV1Config & Record<number, boolean>;
export function fuseIndex(name: string): number;
export function fuseMismatches(wire: Record<string | number, unknown>): string[];
export function electronBinaryPath(context: PackContext): string;
export function afterPack(context: PackContext): Promise<void>;
export default afterPack;
