// `aether start`: runs the panel until SIGINT/SIGTERM and prints the one-time setup link while no user exists.
import { createLogger } from '../shared/logger.ts';
import type { Command } from './command.ts';

export const startCommand: Command = {
  name: 'start',
  summary: 'Start the panel (web UI and API).',
  usage: 'aether start [--config FILE]',
  options: {},
  async run(ctx) {
    const config = ctx.config();
    const logger = createLogger({ level: config.logLevel, logDir: config.paths.logDir });
    const { createPanel } = await import('../panel.ts');
    const panel = await createPanel({ config, logger });
    const port = await panel.listen();
    const host = ['0.0.0.0', '::'].includes(config.http.host) ? '127.0.0.1' : config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host;
    const base = config.http.publicUrl?.replace(/\/$/, '') ?? `http://${host}:${port}`;
    logger.info({ host: config.http.host, port, dataDir: config.paths.dataDir }, 'panel listening');
    const token = await panel.services.setup.issueToken();
    if (token) {
      // SECURITY: the link goes to the console only, never to panel.log: it is a credential for the first admin.
      ctx.io.out('');
      ctx.io.out('  No user exists yet. Create the first administrator with this one-time link (valid 1 hour):');
      ctx.io.out(`  ${base}/setup?token=${token}`);
      ctx.io.out('');
    } else {
      ctx.io.out(`Aether Panel is running at ${base}`);
    }
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    logger.info('shutting down');
    await panel.stop();
    logger.flush();
    return 0;
  },
};
