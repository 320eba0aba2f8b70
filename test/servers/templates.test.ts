// Templates: the shipped ones parse; every forbidden option is refused with its field and why; env values are checked against the rules.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { AppError } from '../../src/shared/errors.ts';
import {
  ALLOWED_CAPABILITIES,
  loadShippedTemplates,
  parseTemplate,
  resolveEnv,
  ServerEnvError,
  SHIPPED_TEMPLATES_DIR,
  TemplateError,
  type Template,
} from '../../src/servers/templates/index.ts';

type Json = Record<string, any>;

/** The shipped test template as raw JSON: a valid starting point each case changes one thing of. */
function raw(): Json {
  return JSON.parse(readFileSync(join(SHIPPED_TEMPLATES_DIR, 'test-server.json'), 'utf8'));
}

function templateError(json: unknown, source = 'case.json'): TemplateError {
  try {
    parseTemplate(json, source);
  } catch (err) {
    if (err instanceof TemplateError) return err;
    throw err;
  }
  throw new Error('the template was accepted');
}

function envError(template: Template, given: Record<string, string>, ports = [{ name: 'game', hostPort: 30001 }]): ServerEnvError {
  try {
    resolveEnv(template, given, ports);
  } catch (err) {
    if (err instanceof ServerEnvError) return err;
    throw err;
  }
  throw new Error('the environment was accepted');
}

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'aether-templates-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('shipped templates', () => {
  test('every shipped template parses, and there are real ones beside the test template', () => {
    const templates = loadShippedTemplates();
    const ids = templates.map((t) => t.id);
    assert.ok(ids.includes('test-server'));
    assert.ok(ids.includes('minecraft-java'));
    assert.ok(ids.includes('custom-image'));
    for (const t of templates) {
      assert.equal(t.user.startsWith('0'), false, t.id);
      assert.ok(t.capabilities.every((c) => (ALLOWED_CAPABILITIES as readonly string[]).includes(c)), t.id);
    }
  });

  test('the test-server template has the values the container tests rely on', () => {
    const t = loadShippedTemplates().find((x) => x.id === 'test-server');
    assert.deepEqual(t, {
      id: 'test-server',
      name: 'Test server',
      description: t!.description,
      image: 'aether-test/busybox:1',
      command: ['/srv/game.sh'],
      env: [],
      ports: [{ name: 'game', container: 25565, protocol: 'tcp', env: 'SERVER_PORT' }],
      stop: { command: 'stop', signal: 'SIGTERM', timeoutSeconds: 10 },
      limits: { memoryMb: 64, cpu: 0.5, pids: 64, diskMb: 256 },
      dataPath: '/data',
      readOnlyRoot: true,
      tmpfsMb: 16,
      user: '1000:1000',
      capabilities: [],
      network: 'isolated',
    });
  });

  test('the Minecraft template needs the EULA accepted and keeps its defaults valid', () => {
    const mc = loadShippedTemplates().find((x) => x.id === 'minecraft-java')!;
    assert.match(envError(mc, {}, [{ name: 'game', hostPort: 25565 }]).message, /EULA: is required/);
    assert.match(envError(mc, { EULA: 'true' }, [{ name: 'game', hostPort: 25565 }]).message, /EULA: must be one of TRUE/);
    assert.deepEqual(resolveEnv(mc, { EULA: 'TRUE', MEMORY: '3G' }, [{ name: 'game', hostPort: 25565 }]), {
      EULA: 'TRUE',
      MEMORY: '3G',
      SERVER_JAR: 'server.jar',
      SERVER_PORT: '25565',
    });
    assert.match(envError(mc, { EULA: 'TRUE', MEMORY: '2G;id' }, [{ name: 'game', hostPort: 25565 }]).message, /MEMORY: must match/);
  });
});

describe('template format', () => {
  test('defaults are filled in for the optional fields', () => {
    const t = parseTemplate(
      {
        id: 'minimal',
        name: 'Minimal',
        image: 'registry.example.com:5000/team/game@sha256:' + 'a'.repeat(64),
        env: [{ name: 'LEVEL', label: 'Level', required: false, rule: { type: 'string' } }],
        limits: { memoryMb: 128, cpu: 1, pids: 32, diskMb: 1024 },
        dataPath: '/srv/data',
      },
      'api',
    );
    assert.deepEqual(t, {
      id: 'minimal',
      name: 'Minimal',
      description: '',
      image: 'registry.example.com:5000/team/game@sha256:' + 'a'.repeat(64),
      env: [{ name: 'LEVEL', label: 'Level', description: '', required: false, editable: true, rule: { type: 'string', maxLength: 256 } }],
      ports: [],
      stop: { signal: 'SIGTERM', timeoutSeconds: 30 },
      limits: { memoryMb: 128, cpu: 1, pids: 32, diskMb: 1024 },
      dataPath: '/srv/data',
      readOnlyRoot: true,
      tmpfsMb: 64,
      user: '1000:1000',
      capabilities: [],
      network: 'isolated',
    });
  });

  test('every allowed capability is accepted', () => {
    const t = parseTemplate({ ...raw(), capabilities: [...ALLOWED_CAPABILITIES] }, 'api');
    assert.deepEqual(t.capabilities, [...ALLOWED_CAPABILITIES]);
  });

  test('a parsed template parses again to itself (it can be stored and re-checked)', () => {
    for (const t of loadShippedTemplates()) assert.deepEqual(parseTemplate(structuredClone(t), 'db'), t);
  });

  test('a template error is a 400 naming the source, the template and the field', () => {
    const err = templateError({ ...raw(), privileged: true }, 'templates/evil.json');
    assert.ok(err instanceof AppError);
    assert.equal(err.status, 400);
    assert.equal(err.code, 'invalid_template');
    assert.equal(err.expose, true);
    assert.equal(err.message, 'templates/evil.json: template "test-server": privileged: not allowed: servers never run privileged');
    assert.deepEqual(err.details, { source: 'templates/evil.json', template: 'test-server', path: 'privileged', reason: 'not allowed: servers never run privileged' });
  });

  test('something other than an object is refused', () => {
    for (const json of [null, [], 'test-server', 42]) assert.match(templateError(json).message, /^case\.json: template: must be a JSON object$/);
  });

  // [name, change to the valid template, field path, why]
  const refused: Array<[string, (t: Json) => void, string, RegExp]> = [
    ['privileged', (t) => (t.privileged = true), 'privileged', /not allowed: servers never run privileged/],
    ['privileged: false (the key itself is not an option)', (t) => (t.privileged = false), 'privileged', /never run privileged/],
    ['privileged hidden in limits', (t) => (t.limits.Privileged = true), 'limits.Privileged', /never run privileged/],
    ['network host', (t) => (t.network = 'host'), 'network', /"host" is not allowed: servers never use the host's network/],
    ['network container:<id>', (t) => (t.network = 'container:db'), 'network', /never join another container's network/],
    ['network bridge', (t) => (t.network = 'bridge'), 'network', /shared bridge is not isolated/],
    ['network unknown', (t) => (t.network = 'macvlan'), 'network', /must be "isolated" \(its own network\) or "none"/],
    ['hostConfig', (t) => (t.hostConfig = { Memory: 1 }), 'hostConfig', /raw Docker host settings are never passed through/],
    ['HostConfig', (t) => (t.HostConfig = { Privileged: true }), 'HostConfig', /raw Docker host settings/],
    ['HostConfig hidden in stop', (t) => (t.stop.HostConfig = {}), 'stop.HostConfig', /raw Docker host settings/],
    ['host_config hidden in an env rule', (t) => (t.env = [{ name: 'A', label: 'A', required: false, rule: { type: 'boolean', host_config: {} } }]), 'env.0.rule.host_config', /raw Docker/],
    ['networkMode', (t) => (t.networkMode = 'host'), 'networkMode', /its own network or none/],
    ['NetworkMode hidden in a port', (t) => (t.ports[0].NetworkMode = 'host'), 'ports.0.NetworkMode', /its own network or none/],
    ['pidMode host', (t) => (t.pidMode = 'host'), 'pidMode', /process namespace/],
    ['ipcMode host', (t) => (t.ipcMode = 'host'), 'ipcMode', /IPC namespace/],
    ['utsMode host', (t) => (t.utsMode = 'host'), 'utsMode', /hostname namespace/],
    ['usernsMode host', (t) => (t.usernsMode = 'host'), 'usernsMode', /user namespace/],
    ['devices', (t) => (t.devices = ['/dev/sda:/dev/sda']), 'devices', /no host devices/],
    ['deviceRequests', (t) => (t.deviceRequests = [{ Count: -1 }]), 'deviceRequests', /GPUs/],
    ['binds', (t) => (t.binds = ['/:/host']), 'binds', /only mount is the server's own data directory/],
    ['volumes', (t) => (t.volumes = { '/var/run/docker.sock': {} }), 'volumes', /only mount/],
    ['mounts', (t) => (t.mounts = [{ Type: 'bind', Source: '/', Target: '/host' }]), 'mounts', /only mount/],
    ['volumesFrom', (t) => (t.volumesFrom = ['panel']), 'volumesFrom', /only mount/],
    ['tmpfs', (t) => (t.tmpfs = { '/run': 'exec' }), 'tmpfs', /only tmpfs is \/tmp/],
    ['capabilities SYS_ADMIN', (t) => (t.capabilities = ['SYS_ADMIN']), 'capabilities.0', /"SYS_ADMIN" is not allowed: SYS_ADMIN is nearly root.*only CHOWN, /],
    ['capabilities ALL', (t) => (t.capabilities = ['ALL']), 'capabilities.0', /"ALL" is not allowed: servers never get every capability/],
    ['capabilities NET_RAW', (t) => (t.capabilities = ['CHOWN', 'NET_RAW']), 'capabilities.1', /"NET_RAW" is not allowed: NET_RAW allows spoofed packets/],
    ['capabilities repeated', (t) => (t.capabilities = ['CHOWN', 'CHOWN']), 'capabilities', /must not repeat/],
    ['capAdd', (t) => (t.capAdd = ['NET_ADMIN']), 'capAdd', /capabilities are listed in "capabilities"/],
    ['cap_add (compose spelling)', (t) => (t.cap_add = ['NET_ADMIN']), 'cap_add', /capabilities are listed in "capabilities"/],
    ['capDrop', (t) => (t.capDrop = []), 'capDrop', /every capability is always dropped/],
    ['securityOpt seccomp=unconfined', (t) => (t.securityOpt = ['seccomp=unconfined']), 'securityOpt', /default seccomp profile and no-new-privileges always apply/],
    ['sysctls', (t) => (t.sysctls = { 'net.ipv4.ip_forward': '1' }), 'sysctls', /kernel parameters/],
    ['cgroupParent', (t) => (t.cgroupParent = '/'), 'cgroupParent', /cgroup hierarchy/],
    ['runtime', (t) => (t.runtime = 'runc-unsafe'), 'runtime', /default runtime/],
    ['oomKillDisable', (t) => (t.oomKillDisable = true), 'oomKillDisable', /memory limit is always enforced/],
    ['memorySwap', (t) => (t.limits.memorySwap = -1), 'limits.memorySwap', /never get swap/],
    ['groupAdd', (t) => (t.groupAdd = ['999']), 'groupAdd', /docker group/],
    ['user 0:0', (t) => (t.user = '0:0'), 'user', /"0:0" is not allowed: servers never run as root/],
    ['user root', (t) => (t.user = 'root'), 'user', /"root" is not allowed: servers never run as root/],
    ['user 0', (t) => (t.user = '0'), 'user', /"0" is not allowed/],
    ['user 0 as a number', (t) => (t.user = 0), 'user', /0 is not allowed/],
    ['user in the root group', (t) => (t.user = '1000:0'), 'user', /root group \(gid 0\)/],
    ['user by name', (t) => (t.user = 'games'), 'user', /must be numeric "uid:gid"/],
    ['user uid only', (t) => (t.user = '1000'), 'user', /must be numeric "uid:gid"/],
    ['dataPath /', (t) => (t.dataPath = '/'), 'dataPath', /cannot be \/ \(it would replace the whole filesystem/],
    ['dataPath /etc', (t) => (t.dataPath = '/etc'), 'dataPath', /cannot be \/etc: a system directory/],
    ['dataPath under /usr', (t) => (t.dataPath = '/usr/share/game'), 'dataPath', /cannot be under \/usr/],
    ['dataPath /proc', (t) => (t.dataPath = '/proc'), 'dataPath', /cannot be \/proc/],
    ['dataPath /lib64', (t) => (t.dataPath = '/lib64'), 'dataPath', /cannot be \/lib64/],
    ['dataPath /tmp (the scratch tmpfs)', (t) => (t.dataPath = '/tmp/data'), 'dataPath', /under \/tmp/],
    ['dataPath ../x', (t) => (t.dataPath = '../x'), 'dataPath', /must not contain \. or \.\. segments/],
    ['dataPath /data/../etc', (t) => (t.dataPath = '/data/../etc'), 'dataPath', /\.\. segments/],
    ['dataPath relative', (t) => (t.dataPath = 'data'), 'dataPath', /must be an absolute path/],
    ['dataPath not normalised', (t) => (t.dataPath = '/data//world'), 'dataPath', /normalised/],
    ['dataPath with a colon', (t) => (t.dataPath = '/data:/etc'), 'dataPath', /may only contain/],
    ['readOnlyRoot "yes"', (t) => (t.readOnlyRoot = 'yes'), 'readOnlyRoot', /must be true or false/],
    ['unknown key', (t) => (t.colour = 'red'), 'colour', /unknown key: not a template option/],
    ['unknown nested key', (t) => (t.stop.grace = 5), 'stop.grace', /unknown key/],
    ['__proto__ key', (t) => Object.defineProperty(t, '__proto__', { value: { privileged: true }, enumerable: true }), '__proto__', /not a valid key/],
    ['id with spaces', (t) => (t.id = 'Test Server'), 'id', /lower-case letters, digits and -/],
    ['image with a space', (t) => (t.image = 'busybox latest'), 'image', /Docker image reference/],
    ['image with a newline', (t) => (t.image = 'busybox\n--privileged'), 'image', /Docker image reference/],
    ['image upper-case', (t) => (t.image = 'BusyBox:1'), 'image', /lower-case name/],
    ['image with a bad digest', (t) => (t.image = 'busybox@sha256:abc'), 'image', /Docker image reference/],
    ['command empty', (t) => (t.command = []), 'command', /must not be empty/],
    ['command not argv', (t) => (t.command = '/srv/game.sh'), 'command', /list of strings/],
    ['command too long', (t) => (t.command = Array(65).fill('x')), 'command', /at most 64 arguments/],
    ['port 0', (t) => (t.ports[0].container = 0), 'ports.0.container', /whole number from 1 to 65535/],
    ['port 70000', (t) => (t.ports[0].container = 70_000), 'ports.0.container', /1 to 65535/],
    ['port protocol sctp', (t) => (t.ports[0].protocol = 'sctp'), 'ports.0.protocol', /tcp or udp/],
    ['port declared twice', (t) => t.ports.push({ ...t.ports[0], env: undefined }), 'ports.1.name', /declared twice/],
    ['port env also in env', (t) => (t.env = [{ name: 'SERVER_PORT', label: 'P', required: false, rule: { type: 'string' } }]), 'ports.0.env', /also declared in env/],
    ['ports without a network', (t) => (t.network = 'none'), 'ports', /"network": "none" cannot publish ports/],
    ['too many ports', (t) => (t.ports = Array.from({ length: 17 }, (_, i) => ({ name: `p${i}`, container: 1000 + i, protocol: 'tcp' }))), 'ports', /at most 16/],
    ['stop signal SIGSTOP', (t) => (t.stop.signal = 'SIGSTOP'), 'stop.signal', /one of SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGKILL/],
    ['stop timeout 0', (t) => (t.stop.timeoutSeconds = 0), 'stop.timeoutSeconds', /1 to 600/],
    ['stop timeout 601', (t) => (t.stop.timeoutSeconds = 601), 'stop.timeoutSeconds', /1 to 600/],
    ['stop command on two lines', (t) => (t.stop.command = 'save-all\nstop'), 'stop.command', /one line without control characters/],
    ['stop command too long', (t) => (t.stop.command = 'x'.repeat(257)), 'stop.command', /at most 256/],
    ['memory 0 (unlimited to Docker)', (t) => (t.limits.memoryMb = 0), 'limits.memoryMb', /16 to 1048576/],
    ['pids -1 (unlimited to Docker)', (t) => (t.limits.pids = -1), 'limits.pids', /16 to 32768/],
    ['cpu 0', (t) => (t.limits.cpu = 0), 'limits.cpu', /0\.01 to 256/],
    ['disk missing', (t) => delete t.limits.diskMb, 'limits.diskMb', /^is required$/],
    ['tmpfs 0', (t) => (t.tmpfsMb = 0), 'tmpfsMb', /1 to 1024/],
    ['tmpfs 2048', (t) => (t.tmpfsMb = 2048), 'tmpfsMb', /1 to 1024/],
  ];
  for (const [name, change, path, why] of refused) {
    test(`refused with its field and why: ${name}`, () => {
      const t = raw();
      change(t);
      const err = templateError(t, 'bad.json');
      assert.equal(err.path, path, err.message);
      assert.match(err.reason, why, err.message);
      assert.ok(err.message.startsWith(`bad.json: template "${t.id}": ${path}: `), err.message);
    });
  }

  const envVar = (rule: Json, more: Json = {}) => ({ name: 'LEVEL', label: 'Level', required: false, rule, ...more });
  // [name, env list, field path, why]
  const badEnv: Array<[string, Json[], string, RegExp]> = [
    ['lower-case name', [envVar({ type: 'string' }, { name: 'level' })], 'env.0.name', /upper-case letters/],
    ['name repeated', [envVar({ type: 'string' }), envVar({ type: 'string' })], 'env.1.name', /already declared at env\.0/],
    ['unknown rule type', [envVar({ type: 'float' })], 'env.0.rule.type', /type is string, integer, enum or boolean/],
    ['nested quantifiers', [envVar({ type: 'string', pattern: '(a+)+$' })], 'env.0.rule.pattern', /exponential time/],
    ['backreference', [envVar({ type: 'string', pattern: '(a)\\1' })], 'env.0.rule.pattern', /backreferences and lookaround/],
    ['lookahead', [envVar({ type: 'string', pattern: '(?=a)a' })], 'env.0.rule.pattern', /backreferences and lookaround/],
    ['pattern that only compiles once wrapped', [envVar({ type: 'string', pattern: 'a)|(b' })], 'env.0.rule.pattern', /not a valid regular expression/],
    ['integer min above max', [envVar({ type: 'integer', min: 10, max: 1 })], 'env.0.rule.max', /must not be below min \(10\)/],
    ['integer bound not whole', [envVar({ type: 'integer', min: 0.5, max: 1 })], 'env.0.rule.min', /whole number/],
    ['empty enum', [envVar({ type: 'enum', values: [] })], 'env.0.rule.values', /at least one value/],
    ['enum value repeated', [envVar({ type: 'enum', values: ['a', 'a'] })], 'env.0.rule.values', /must not repeat/],
    ['default outside the rule', [envVar({ type: 'integer', min: 1, max: 10 }, { default: '11' })], 'env.0.default', /does not fit the rule: must be a whole number from 1 to 10/],
    ['default not matching the pattern', [envVar({ type: 'string', pattern: '[a-z]+' }, { default: 'ABC' })], 'env.0.default', /must match the pattern/],
    ['locked and required without a default', [envVar({ type: 'string' }, { required: true, editable: false })], 'env.0', /needs a default/],
    ['required missing', [{ name: 'LEVEL', label: 'Level', rule: { type: 'string' } }], 'env.0.required', /^is required$/],
    ['too many variables', Array.from({ length: 65 }, (_, i) => envVar({ type: 'string' }, { name: `V${i}` })), 'env', /at most 64 variables/],
  ];
  for (const [name, env, path, why] of badEnv) {
    test(`a bad env declaration is refused: ${name}`, () => {
      const err = templateError({ ...raw(), env });
      assert.equal(err.path, path, err.message);
      assert.match(err.reason, why, err.message);
    });
  }

  test('a template nested too deeply is refused before the schema walks it', () => {
    let deep: Json = {};
    const t = { ...raw(), description: deep };
    for (let i = 0; i < 40; i++) deep = deep.x = {};
    assert.match(templateError(t).reason, /nested too deeply/);
  });
});

describe('template files', () => {
  const valid = JSON.stringify(raw());

  test('a directory of valid files loads in file name order, ignoring other files', () => {
    const other = JSON.stringify({ ...raw(), id: 'another' });
    const templates = loadShippedTemplates(dirWith({ 'b.json': valid, 'a.json': other, 'README.md': '# not a template' }));
    assert.deepEqual(templates.map((t) => t.id), ['another', 'test-server']);
  });

  test('two files with the same id: the error names both files', () => {
    const err = (() => {
      try {
        loadShippedTemplates(dirWith({ 'one.json': valid, 'two.json': valid }));
      } catch (e) {
        return e as TemplateError;
      }
      throw new Error('loaded');
    })();
    assert.ok(err instanceof TemplateError);
    assert.equal(err.message, 'two.json: template "test-server": id: "test-server" is already the id of one.json');
  });

  test('a file that is not JSON names the file', () => {
    assert.throws(() => loadShippedTemplates(dirWith({ 'broken.json': '{ "id": ' })), (err: unknown) => err instanceof TemplateError && /^broken\.json: template: not valid JSON/.test(err.message));
  });

  test('a bad file stops loading with its name and field', () => {
    assert.throws(
      () => loadShippedTemplates(dirWith({ 'evil.json': JSON.stringify({ ...raw(), id: 'evil', HostConfig: { NetworkMode: 'host' } }) })),
      (err: unknown) => err instanceof TemplateError && err.message.startsWith('evil.json: template "evil": HostConfig: not allowed'),
    );
  });
});

describe('server environment', () => {
  const template = parseTemplate(
    {
      ...raw(),
      env: [
        { name: 'MOTD', label: 'Message of the day', default: 'Hello there', required: false, rule: { type: 'string', pattern: '[A-Za-z ]+', maxLength: 20 } },
        { name: 'MAX_PLAYERS', label: 'Players', default: '20', required: true, rule: { type: 'integer', min: 1, max: 100 } },
        { name: 'DIFFICULTY', label: 'Difficulty', default: 'easy', required: true, rule: { type: 'enum', values: ['peaceful', 'easy', 'normal', 'hard'] } },
        { name: 'PVP', label: 'PvP', default: 'true', required: false, rule: { type: 'boolean' } },
        { name: 'EULA', label: 'EULA', required: true, rule: { type: 'enum', values: ['TRUE'] } },
        { name: 'EDITION', label: 'Edition', default: 'vanilla', required: true, editable: false, rule: { type: 'enum', values: ['vanilla'] } },
        { name: 'SEED', label: 'Seed', required: false, rule: { type: 'string', maxLength: 32 } },
      ],
      ports: [
        { name: 'game', container: 25565, protocol: 'tcp', env: 'SERVER_PORT' },
        { name: 'query', container: 25566, protocol: 'udp' },
      ],
    },
    'env-test.json',
  );
  const ports = [
    { name: 'game', hostPort: 30001 },
    { name: 'query', hostPort: 30002 },
  ];

  test('defaults apply, unset optional variables stay out, and the port variable gets the host port', () => {
    assert.deepEqual(resolveEnv(template, { EULA: 'TRUE' }, ports), {
      MOTD: 'Hello there',
      MAX_PLAYERS: '20',
      DIFFICULTY: 'easy',
      PVP: 'true',
      EULA: 'TRUE',
      EDITION: 'vanilla',
      SERVER_PORT: '30001',
    });
  });

  test('own values replace defaults; "" means not set; a locked variable may be sent back unchanged', () => {
    const env = resolveEnv(template, { EULA: 'TRUE', MAX_PLAYERS: '100', DIFFICULTY: 'hard', PVP: 'false', MOTD: '', SEED: '-42', EDITION: 'vanilla' }, ports);
    assert.deepEqual(env, { MOTD: 'Hello there', MAX_PLAYERS: '100', DIFFICULTY: 'hard', PVP: 'false', EULA: 'TRUE', EDITION: 'vanilla', SEED: '-42', SERVER_PORT: '30001' });
  });

  // [name, given values, variable, why]
  const refused: Array<[string, Record<string, string>, string, RegExp]> = [
    ['required missing', {}, 'EULA', /^is required$/],
    ['required set to ""', { EULA: '' }, 'EULA', /^is required$/],
    ['integer above max', { EULA: 'TRUE', MAX_PLAYERS: '101' }, 'MAX_PLAYERS', /whole number from 1 to 100/],
    ['integer below min', { EULA: 'TRUE', MAX_PLAYERS: '0' }, 'MAX_PLAYERS', /whole number from 1 to 100/],
    ['integer with a fraction', { EULA: 'TRUE', MAX_PLAYERS: '1.5' }, 'MAX_PLAYERS', /whole number/],
    ['integer in exponent form', { EULA: 'TRUE', MAX_PLAYERS: '1e1' }, 'MAX_PLAYERS', /whole number/],
    ['integer with spaces', { EULA: 'TRUE', MAX_PLAYERS: ' 5' }, 'MAX_PLAYERS', /whole number/],
    ['enum not in the list', { EULA: 'TRUE', DIFFICULTY: 'nightmare' }, 'DIFFICULTY', /one of peaceful, easy, normal, hard/],
    ['enum in another case', { EULA: 'true' }, 'EULA', /one of TRUE/],
    ['boolean as yes', { EULA: 'TRUE', PVP: 'yes' }, 'PVP', /true or false/],
    ['pattern mismatch', { EULA: 'TRUE', MOTD: 'Hi!' }, 'MOTD', /must match the pattern \[A-Za-z \]\+/],
    ['pattern matches the whole value only', { EULA: 'TRUE', MOTD: 'Hi;rm' }, 'MOTD', /must match the pattern/],
    ['longer than maxLength', { EULA: 'TRUE', MOTD: 'a'.repeat(21) }, 'MOTD', /at most 20 characters/],
    ['control character', { EULA: 'TRUE', SEED: '1\n2' }, 'SEED', /control characters/],
    ['unknown variable', { EULA: 'TRUE', LD_PRELOAD: '/data/evil.so' }, 'LD_PRELOAD', /is not a variable of template "test-server"/],
    ['a locked variable changed', { EULA: 'TRUE', EDITION: 'forge' }, 'EDITION', /cannot be changed for a server/],
    ['the port variable set by hand', { EULA: 'TRUE', SERVER_PORT: '22' }, 'SERVER_PORT', /set by the panel from the allocated port/],
  ];
  for (const [name, given, variable, why] of refused) {
    test(`refused: ${name}`, () => {
      const err = envError(template, given, ports as never);
      assert.equal(err.problems.length, 1, err.message);
      assert.equal(err.problems[0]!.variable, variable);
      assert.match(err.problems[0]!.reason, why);
      assert.ok(err.message.includes(`${variable}: `), err.message);
    });
  }

  test('a __proto__ key is an unknown variable, not a way into the object', () => {
    const err = envError(template, JSON.parse('{"EULA": "TRUE", "__proto__": "x"}'), ports as never);
    assert.deepEqual(err.problems, [{ variable: '__proto__', reason: 'is not a variable of template "test-server"' }]);
  });

  test('every problem is listed, as a 400 that never repeats the values', () => {
    const err = envError(template, { MAX_PLAYERS: 'hunter2', FOO: 'secret-value' }, ports as never);
    assert.equal(err.status, 400);
    assert.equal(err.code, 'invalid_env');
    assert.deepEqual(
      err.problems.map((p) => p.variable),
      ['FOO', 'MAX_PLAYERS', 'EULA'],
    );
    assert.ok(!err.message.includes('hunter2') && !err.message.includes('secret-value'), err.message);
  });

  test('a port variable without an allocated host port is a problem', () => {
    const err = envError(template, { EULA: 'TRUE' }, [{ name: 'query', hostPort: 30002 }]);
    assert.deepEqual(err.problems, [{ variable: 'SERVER_PORT', reason: 'port "game" has no allocated host port' }]);
  });
});
