// Stands in for the `cacheable-request` package (and with it keyv) in the built app and CLI
// (electron.vite.config.ts). got uses it only for its `cache` option, which Spokesmith never sets: every
// read must see the instance as it is now.
import { notBundled } from './not-bundled';

export default class CacheableRequest {
  constructor() {
    notBundled('cacheable-request');
  }
}

/** got checks its errors with `instanceof CacheError`; nothing here ever throws one. */
export class CacheError extends Error {}
