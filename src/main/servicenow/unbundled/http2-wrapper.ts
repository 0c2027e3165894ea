// Stands in for the `http2-wrapper` package in the built app and CLI (electron.vite.config.ts). got imports
// it for its `http2: true` option, which Spokesmith never sets (src/main/servicenow/transport.ts): ServiceNow
// is reached over HTTP/1.1. Loading the real package creates a TLS socket at import time, which costs an
// up-to-date `spokesmith apply` about 20 ms before any request (README.md, "Benchmarks").
import { notBundled } from './not-bundled';

export default {
  get auto(): never {
    return notBundled('http2-wrapper');
  },
  get globalAgent(): never {
    return notBundled('http2-wrapper');
  },
};
