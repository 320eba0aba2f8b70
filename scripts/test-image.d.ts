// Types of scripts/test-image.js for the TypeScript tests that use it.
export const TEST_IMAGE: string;
export function dockerReachable(): boolean;
export function testImageCurrent(): boolean;
export function ensureTestImage(): string;
export function buildTestImage(): void;
