// Types of resources/bin/code-cache.js, for the tests that import it.
export function codeCacheDir(env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform): string;
export function requireWithCodeCache(entry: string, cacheDir: string): unknown;
