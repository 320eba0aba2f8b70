#!/usr/bin/env node
// The container's HEALTHCHECK: exits 0 when the panel's /healthz answers 200 within 4 seconds, 1 otherwise.
import { request } from 'node:http';

const port = Number(process.env.AETHER_HTTP_PORT || 8080);
const req = request({ host: '127.0.0.1', port, path: '/healthz', timeout: 4000 }, (res) => {
  res.resume();
  process.exitCode = res.statusCode === 200 ? 0 : 1;
});
req.on('timeout', () => req.destroy(new Error('timed out')));
req.on('error', (err) => {
  console.error(`healthcheck: ${err.message}`);
  process.exitCode = 1;
});
req.end();
