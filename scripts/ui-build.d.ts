// Type declarations for scripts/ui-build.js, so TypeScript tests can build the web UI before using it.

/** Builds the web UI into dist/ui unless it is already newer than its sources (or `force` is set). */
export function ensureUi(opts?: { force?: boolean }): void;

/** Whether dist/ui/index.html exists and is newer than every file under src/ui. */
export function uiIsFresh(): boolean;
