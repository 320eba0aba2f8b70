// Container tests need a real Docker Engine and the local test image (npm run test:image): skip loudly without them,
// fail under AETHER_TEST_REQUIRE_ALL=1.
import type { TestContext } from 'node:test';
import { dockerReachable, testImageCurrent, TEST_IMAGE } from '../../scripts/test-image.js';
import { needs } from './require-component.ts';

export { TEST_IMAGE };

/** Where the local engine answers (the panel's default servers.dockerSocket). */
export const DOCKER_SOCKET = '/var/run/docker.sock';

let known: { engine: boolean; image: boolean } | null = null;

export function needsDocker(t: TestContext): boolean {
  known ??= { engine: dockerReachable(), image: false };
  if (known.engine && !known.image) known.image = testImageCurrent();
  if (!needs(t, 'docker', known.engine, 'engine not reachable at /var/run/docker.sock: apt-get install docker.io and start dockerd')) return false;
  return needs(t, 'the test image', known.image, `${TEST_IMAGE} is missing or stale: apt-get install busybox-static, then npm run test:image`);
}
