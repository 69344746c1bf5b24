// Stand-in workload for one ECS task of navoy-app: a tiny HTTP server.
// The data plane starts one per RUNNING task, on its own loopback port
// (PORT), with the task definition's environment and secrets injected.
// Signals used by the data plane's fault injection:
//   SIGUSR2  -> /health answers 500 from now on (fails ALB health checks)
//   SIGTERM  -> graceful stop (what `docker stop` sends)
'use strict';

const http = require('http');

const port = Number(process.env.PORT || 3000);
const host = process.env.BIND_HOST || '127.0.0.1';
const name = process.env.APP_NAME || 'navoy-app';
const version = process.env.APP_VERSION || 'unknown';
const hostname = process.env.HOSTNAME || require('os').hostname();
const started = new Date();
let healthy = true;

function log(message) {
  process.stdout.write(`${new Date().toISOString()} ${message}\n`);
}

const server = http.createServer((req, res) => {
  const t0 = process.hrtime.bigint();
  let status = 200;
  let body;
  if (req.url === '/health') {
    status = healthy ? 200 : 500;
    body = { status: healthy ? 'ok' : 'failing' };
  } else if (req.url === '/' || req.url.startsWith('/?')) {
    body = {
      app: name,
      version,
      host: hostname,
      uptimeSeconds: Math.round((Date.now() - started.getTime()) / 1000),
    };
  } else {
    status = 404;
    body = { error: 'not found' };
  }
  const data = JSON.stringify(body) + '\n';
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) });
  res.end(data);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  log(`${req.method} ${req.url} ${status} ${ms.toFixed(1)}ms`);
});

server.listen(port, host, () => {
  const secrets = ['SESSION_SECRET', 'DATABASE_URL']
    .map((k) => `${k}=${process.env[k] ? 'set' : 'missing'}`)
    .join(' ');
  log(`${name} ${version} listening on ${host}:${port} as ${hostname} (${secrets})`);
});

process.on('SIGUSR2', () => {
  healthy = false;
  log('health check endpoint now failing');
});

process.on('SIGTERM', () => {
  log('SIGTERM received, shutting down');
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
});
