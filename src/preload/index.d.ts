// `window.api` as the renderer sees it: typed from the shared IPC contract.
import type { Api } from '../shared/ipc/contract';

declare global {
  interface Window {
    api: Api;
  }
}

export {};
