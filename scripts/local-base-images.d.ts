// Types of scripts/local-base-images.js for the TypeScript tests that use it.
export const LOCAL_BUILD_IMAGE: string;
export const LOCAL_BASE_IMAGE: string;
export function packageClosure(roots: string[]): string[];
export function ensureLocalBaseImages(): { build: 'built' | 'current'; runtime: 'built' | 'current'; buildArgs: string[] };
