// The container spec: every server container gets the same hardening, built from checked fields only, whatever the template or input says.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CONTAINER_LABELS,
  containerPortFor,
  containerSpec,
  ContainerSpecError,
  type ContainerSpec,
  type ContainerSpecInput,
} from '../../src/servers/container-spec.ts';
import { ALLOWED_CAPABILITIES, loadShippedTemplates, parseTemplate, ServerEnvError, TemplateError, type Template } from '../../src/servers/templates/index.ts';

const shipped = loadShippedTemplates();
const testServer = shipped.find((t) => t.id === 'test-server')!;

/** A valid input for a template: its default limits, a required value for each variable without a default, ports from 30001. */
function inputFor(template: Template, change: (i: ContainerSpecInput) => void = () => {}): ContainerSpecInput {
  const env: Record<string, string> = {};
  for (const v of template.env) if (v.required && v.default === undefined && v.rule.type === 'enum') env[v.name] = v.rule.values[0]!;
  const input: ContainerSpecInput = {
    server: {
      id: '3f0c6c5e-8d1b-4c8e-9a57-2d4c1b7e9f10',
      shortId: '3f0c6c5e',
      name: 'My server',
      ...template.limits,
      env,
      ports: template.ports.map((p, i) => ({ name: p.name, container: containerPortFor(p, 30001 + i), protocol: p.protocol, hostIp: '127.0.0.1', hostPort: 30001 + i })),
    },
    template,
    dataDir: '/var/lib/aether/servers/3f0c6c5e',
    networkName: template.network === 'none' ? null : 'aether-net-3f0c6c5e',
    image: template.image,
  };
  change(input);
  return input;
}

function specError(input: ContainerSpecInput): Error {
  try {
    containerSpec(input);
  } catch (err) {
    if (err instanceof ContainerSpecError || err instanceof TemplateError || err instanceof ServerEnvError) return err;
    throw err;
  }
  throw new Error('the spec was built');
}

const withTemplate = (change: (t: Record<string, any>) => void): Template => {
  const t = structuredClone(testServer) as Record<string, any>;
  change(t);
  return parseTemplate(t, 'test');
};

describe('container spec', () => {
  test('the full spec of the test template', () => {
    assert.deepEqual(containerSpec(inputFor(testServer)), {
      name: 'aether-3f0c6c5e',
      Image: 'aether-test/busybox:1',
      Cmd: ['/srv/game.sh'],
      Env: ['SERVER_PORT=30001'],
      User: '1000:1000',
      WorkingDir: '/data',
      Labels: {
        'io.aether.server': '3f0c6c5e-8d1b-4c8e-9a57-2d4c1b7e9f10',
        'io.aether.short-id': '3f0c6c5e',
        'io.aether.template': 'test-server',
        'io.aether.managed': 'true',
      },
      OpenStdin: true,
      StdinOnce: false,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
      StopSignal: 'SIGTERM',
      StopTimeout: 10,
      ExposedPorts: { '30001/tcp': {} },
      HostConfig: {
        CapDrop: ['ALL'],
        CapAdd: [],
        SecurityOpt: ['no-new-privileges:true'],
        Privileged: false,
        ReadonlyRootfs: true,
        Tmpfs: { '/tmp': 'rw,noexec,nosuid,nodev,size=16m' },
        Memory: 64 * 1024 * 1024,
        MemorySwap: 64 * 1024 * 1024,
        OomKillDisable: false,
        NanoCpus: 500_000_000,
        PidsLimit: 64,
        Mounts: [{ Type: 'bind', Source: '/var/lib/aether/servers/3f0c6c5e', Target: '/data', ReadOnly: false, BindOptions: { Propagation: 'rprivate' } }],
        NetworkMode: 'aether-net-3f0c6c5e',
        PortBindings: { '30001/tcp': [{ HostIp: '127.0.0.1', HostPort: '30001' }] },
        PublishAllPorts: false,
        LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } },
        RestartPolicy: { Name: 'no' },
        Init: true,
        IpcMode: 'private',
        PidMode: '',
      },
    });
  });

  for (const template of shipped) {
    test(`the hardening holds for the shipped template ${template.id}`, () => {
      const spec: ContainerSpec = containerSpec(inputFor(template));
      const hc = spec.HostConfig;
      assert.deepEqual(hc.CapDrop, ['ALL']);
      assert.ok((hc.CapAdd as string[]).every((c) => template.capabilities.includes(c as never)));
      assert.deepEqual(hc.SecurityOpt, ['no-new-privileges:true']);
      assert.equal(hc.Privileged, false);
      assert.equal(hc.Memory, template.limits.memoryMb * 1024 * 1024);
      assert.equal(hc.MemorySwap, hc.Memory);
      assert.equal(hc.PidsLimit, template.limits.pids);
      assert.equal(hc.NanoCpus, Math.round(template.limits.cpu * 1e9));
      assert.equal(hc.ReadonlyRootfs, template.readOnlyRoot);
      assert.equal(hc.Binds, undefined);
      assert.equal(hc.Mounts?.length, 1);
      assert.equal(hc.Mounts?.[0]?.Source, '/var/lib/aether/servers/3f0c6c5e');
      assert.notEqual(hc.NetworkMode, 'host');
      assert.match(spec.User, /^[1-9][0-9]*:[1-9][0-9]*$/);
      assert.equal(spec.Labels[CONTAINER_LABELS.managed], 'true');
      assert.equal(spec.Labels[CONTAINER_LABELS.template], template.id);
      assert.deepEqual(hc.RestartPolicy, { Name: 'no' });
      assert.equal(hc.IpcMode, 'private');
      assert.equal(hc.PidMode, '');
      for (const key of ['Devices', 'DeviceRequests', 'VolumesFrom', 'Sysctls', 'CgroupParent', 'Runtime', 'UsernsMode', 'UTSMode', 'GroupAdd', 'ExtraHosts', 'MaskedPaths', 'ReadonlyPaths']) {
        assert.equal((hc as Record<string, unknown>)[key], undefined, key);
      }
    });
  }

  test('the labels are the documented constant list', () => {
    assert.deepEqual(CONTAINER_LABELS, { server: 'io.aether.server', shortId: 'io.aether.short-id', template: 'io.aether.template', managed: 'io.aether.managed' });
  });

  test('CapAdd is exactly the template\'s capabilities', () => {
    const spec = containerSpec(inputFor(withTemplate((t) => (t.capabilities = ['NET_BIND_SERVICE', 'CHOWN']))));
    assert.deepEqual(spec.HostConfig.CapAdd, ['NET_BIND_SERVICE', 'CHOWN']);
    assert.deepEqual(spec.HostConfig.CapDrop, ['ALL']);
  });

  test('a writable root gets no tmpfs', () => {
    const spec = containerSpec(inputFor(withTemplate((t) => (t.readOnlyRoot = false))));
    assert.equal(spec.HostConfig.ReadonlyRootfs, false);
    assert.equal(spec.HostConfig.Tmpfs, undefined);
  });

  test('the server\'s own limits, env values and image are used', () => {
    const template = withTemplate((t) => (t.env = [{ name: 'MOTD', label: 'M', default: 'hi', required: false, rule: { type: 'string' } }]));
    const spec = containerSpec(
      inputFor(template, (i) => {
        Object.assign(i.server, { memoryMb: 1024, cpu: 2.5, pids: 200 });
        i.server.env = { MOTD: 'hello' };
        i.image = 'registry.example.com/games/test:2@sha256:' + 'b'.repeat(64);
      }),
    );
    assert.equal(spec.HostConfig.Memory, 1024 * 1024 * 1024);
    assert.equal(spec.HostConfig.MemorySwap, 1024 * 1024 * 1024);
    assert.equal(spec.HostConfig.NanoCpus, 2_500_000_000);
    assert.equal(spec.HostConfig.PidsLimit, 200);
    assert.deepEqual(spec.Env, ['MOTD=hello', 'SERVER_PORT=30001']);
    assert.equal(spec.Image, 'registry.example.com/games/test:2@sha256:' + 'b'.repeat(64));
  });

  test('a port without an env variable keeps its container port; the stop settings come from the template', () => {
    const template = withTemplate((t) => {
      t.ports.push({ name: 'query', container: 27015, protocol: 'udp' });
      t.stop = { signal: 'SIGINT', timeoutSeconds: 45 };
      t.command = undefined;
    });
    const spec = containerSpec(inputFor(template));
    assert.deepEqual(spec.ExposedPorts, { '30001/tcp': {}, '27015/udp': {} });
    assert.deepEqual(spec.HostConfig.PortBindings, {
      '30001/tcp': [{ HostIp: '127.0.0.1', HostPort: '30001' }],
      '27015/udp': [{ HostIp: '127.0.0.1', HostPort: '30002' }],
    });
    assert.equal(spec.StopSignal, 'SIGINT');
    assert.equal(spec.StopTimeout, 45);
    assert.equal('Cmd' in spec, false);
  });

  describe('network', () => {
    test('no network name means no network', () => {
      const template = withTemplate((t) => (t.ports = []));
      assert.equal(containerSpec(inputFor(template, (i) => (i.networkName = null))).HostConfig.NetworkMode, 'none');
    });

    test('a template without network gets none even when a network is given', () => {
      const template = withTemplate((t) => {
        t.ports = [];
        t.network = 'none';
      });
      assert.equal(containerSpec(inputFor(template, (i) => (i.networkName = 'aether-net-x'))).HostConfig.NetworkMode, 'none');
    });

    const refused: Array<[string, string, RegExp]> = [
      ['host', 'host', /"host" is not allowed: a server only gets its own network or none/],
      ['HOST', 'HOST', /"HOST" is not allowed/],
      ['the shared bridge', 'bridge', /"bridge" is not allowed/],
      ['another container', 'container:panel', /not a Docker network name/],
      ['a name with a space', 'my net', /not a Docker network name/],
    ];
    for (const [name, networkName, why] of refused) {
      test(`refused network: ${name}`, () => {
        const err = specError(inputFor(testServer, (i) => (i.networkName = networkName)));
        assert.ok(err instanceof ContainerSpecError);
        assert.match(err.message, /^server "3f0c6c5e": networkName: /);
        assert.match(err.message, why);
      });
    }

    test('ports without a network are refused', () => {
      assert.match(specError(inputFor(testServer, (i) => (i.networkName = null))).message, /ports: a server without a network cannot publish ports/);
    });
  });

  // [name, change to a valid input, the error's class, why]
  const refused: Array<[string, (i: ContainerSpecInput) => void, new (...args: never[]) => Error, RegExp]> = [
    ['memory 0 (unlimited to Docker)', (i) => (i.server.memoryMb = 0), ContainerSpecError, /memoryMb: must be a whole number from 16/],
    ['pids 0 (unlimited to Docker)', (i) => (i.server.pids = 0), ContainerSpecError, /pids: must be a whole number from 16/],
    ['pids -1 (unlimited to Docker)', (i) => (i.server.pids = -1), ContainerSpecError, /pids: /],
    ['cpu 0', (i) => (i.server.cpu = 0), ContainerSpecError, /cpu: must be a number of CPU cores/],
    ['memory not a number', (i) => (i.server.memoryMb = Number.NaN), ContainerSpecError, /memoryMb: /],
    ['dataDir relative', (i) => (i.dataDir = 'servers/x'), ContainerSpecError, /dataDir: must be an absolute path/],
    ['dataDir /', (i) => (i.dataDir = '/'), ContainerSpecError, /dataDir: cannot be \//],
    ['dataDir /etc', (i) => (i.dataDir = '/etc'), ContainerSpecError, /dataDir: cannot be \/etc on the host/],
    ['dataDir holding the Docker socket', (i) => (i.dataDir = '/var/run'), ContainerSpecError, /dataDir: cannot be \/var\/run/],
    ['dataDir of the engine', (i) => (i.dataDir = '/var/lib/docker/volumes/x'), ContainerSpecError, /under \/var\/lib\/docker/],
    ['dataDir escaping with ..', (i) => (i.dataDir = '/var/lib/aether/servers/../../../etc'), ContainerSpecError, /dataDir: must be normalised/],
    ['image with a space', (i) => (i.image = 'busybox --privileged'), ContainerSpecError, /image: must be a Docker image reference/],
    ['shortId with a slash', (i) => (i.server.shortId = '../x'), ContainerSpecError, /shortId: /],
    ['env port on another container port', (i) => (i.server.ports[0]!.container = 25565), ContainerSpecError, /ports: "game" must use container port 30001 \(the program listens on SERVER_PORT, which is the host port\), not 25565/],
    ['port without allocation', (i) => (i.server.ports = []), ContainerSpecError, /ports: "game" has no allocation/],
    ['port not in the template', (i) => i.server.ports.push({ name: 'ssh', container: 22, protocol: 'tcp', hostIp: '', hostPort: 2222 }), ContainerSpecError, /ports: "ssh" is not a port of template "test-server"/],
    ['port allocated twice', (i) => i.server.ports.push({ ...i.server.ports[0]! }), ContainerSpecError, /ports: "game" is allocated twice/],
    ['port protocol changed', (i) => (i.server.ports[0]!.protocol = 'udp'), ContainerSpecError, /ports: "game" is tcp in the template, not udp/],
    ['host port 0', (i) => (i.server.ports[0]!.hostPort = 0), ContainerSpecError, /host port must be from 1 to 65535/],
    ['host IP not an address', (i) => (i.server.ports[0]!.hostIp = 'localhost'), ContainerSpecError, /host IP must be an IP address/],
    ['env value out of its rule', (i) => (i.server.env = { SERVER_PORT: '22' }), ServerEnvError, /SERVER_PORT: is set by the panel/],
    ['template with a raw HostConfig smuggled in', (i) => Object.assign(i.template, { HostConfig: { Privileged: true } }), TemplateError, /HostConfig: not allowed/],
    ['template changed to root after parsing', (i) => (i.template = { ...i.template, user: '0:0' }), TemplateError, /user: "0:0" is not allowed: servers never run as root/],
    ['template capability changed after parsing', (i) => (i.template = { ...i.template, capabilities: ['SYS_ADMIN' as never] }), TemplateError, /capabilities\.0: "SYS_ADMIN" is not allowed/],
    ['template dataPath changed after parsing', (i) => (i.template = { ...i.template, dataPath: '/' }), TemplateError, /dataPath: cannot be \//],
  ];
  for (const [name, change, kind, why] of refused) {
    test(`refused: ${name}`, () => {
      const err = specError(inputFor(structuredClone(testServer), change));
      assert.ok(err instanceof kind, `${err.name}: ${err.message}`);
      assert.match(err.message, why);
    });
  }

  test('ContainerSpecError is a 400 naming the server', () => {
    const err = specError(inputFor(testServer, (i) => (i.server.memoryMb = 0)));
    assert.ok(err instanceof ContainerSpecError);
    assert.equal(err.status, 400);
    assert.equal(err.code, 'invalid_container_spec');
    assert.equal(err.message, 'server "3f0c6c5e": memoryMb: must be a whole number from 16 to 1048576');
  });

  test('every allowed capability passes through and nothing else is added', () => {
    const spec = containerSpec(inputFor(withTemplate((t) => (t.capabilities = [...ALLOWED_CAPABILITIES]))));
    assert.deepEqual(spec.HostConfig.CapAdd, [...ALLOWED_CAPABILITIES]);
  });
});
