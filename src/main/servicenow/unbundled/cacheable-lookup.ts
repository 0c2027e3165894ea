// Stands in for the `cacheable-lookup` package in the built app and CLI (electron.vite.config.ts). got
// uses it only for its `dnsCache` option, which Spokesmith never sets: name resolution is the system's.
import { notBundled } from './not-bundled';

export default class CacheableLookup {
  constructor() {
    notBundled('cacheable-lookup');
  }
}
