// Common test setup: a panel with a first administrator created through the setup link, and helpers to add users.
import { TestClient } from './client.ts';
import { startPanel, type TestPanel } from './panel.ts';

export const ADMIN = { username: 'root-admin', email: 'admin@example.test', password: 'Correct-Horse-Battery-9' };

export async function setupAdmin(panel: TestPanel, opts: { localAddress?: string } = {}): Promise<TestClient> {
  const token = await panel.services.setup.issueToken();
  const client = new TestClient(panel.url, opts);
  const res = await client.post('/api/v1/setup', { token, ...ADMIN });
  if (res.status !== 201) throw new Error(`setup failed: ${res.status} ${res.text}`);
  client.csrf = res.body.csrfToken;
  return client;
}

export async function panelWithAdmin(overrides: Record<string, unknown> = {}, opts: { localAddress?: string } = {}): Promise<{ panel: TestPanel; admin: TestClient }> {
  const panel = await startPanel(overrides);
  try {
    return { panel, admin: await setupAdmin(panel, opts) };
  } catch (err) {
    // A failed setup must not leave a server holding the test process open.
    await panel.close();
    throw err;
  }
}

let n = 0;
/** Creates a user with the given role names through the API as the admin; returns a signed-in client for them. */
export async function createUser(panel: TestPanel, admin: TestClient, roleNames: string[], opts: { localAddress?: string } = {}) {
  n += 1;
  const roles = (await admin.get('/api/v1/roles')).body.items as Array<{ id: string; name: string }>;
  const user = { username: `user${n}-${Date.now() % 100000}`, email: `user${n}-${Date.now() % 100000}@example.test`, password: `Another-Good-Pass-${n}x` };
  const res = await admin.post('/api/v1/users', { ...user, roles: roleNames.map((name) => ({ roleId: roles.find((r) => r.name === name)!.id, serverId: null })) });
  if (res.status !== 201) throw new Error(`create user failed: ${res.status} ${res.text}`);
  const client = new TestClient(panel.url, opts);
  const login = await client.login(user.username, user.password);
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${login.text}`);
  return { ...user, id: res.body.user.id as string, client };
}
