// What the CLI bundle gets for `worker_threads` (electron.vite.config.ts, CLI_ALIASES). The command runs on
// the main thread and starts no worker. write-file-atomic asks for `threadId` once, when it is loaded, only to
// keep its temporary file names apart between threads of one process; on the main thread that is 0. Node's
// own module brings its worker internals with it: about 0.8 ms of every command that opens the workspace
// (issue 11). Nothing else is exported, so any other use fails at once rather than misbehaving.
export const isMainThread = true;
export const threadId = 0;
