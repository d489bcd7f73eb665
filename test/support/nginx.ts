import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { access, chmod, constants, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import { freePort } from './ports.js';

/** Debian's package puts it here (`apt-get install nginx`). */
const NGINX = '/usr/sbin/nginx';
const READY_TIMEOUT_MS = 10_000;

export interface RunningNginx {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** Stops nginx by its PID and deletes its directory. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Debian's nginx in the foreground on a free port on 127.0.0.1, proxying to `upstreams` (`host:port` each)
 * with the configuration of `docs/deployment-redis.md`, without TLS. Everything it writes stays in a
 * temporary directory.
 */
export async function startNginx(upstreams: string[]): Promise<RunningNginx> {
  try {
    await access(NGINX, constants.X_OK);
  } catch (error) {
    throw new Error(`${NGINX} is missing: the proxy test needs it (apt-get install nginx).`, {
      cause: error,
    });
  }
  const dir = await mkdtemp(join(tmpdir(), 'parley-nginx-'));
  // Workers run as another user when started as root; they only read the configuration.
  await chmod(dir, 0o755);
  const port = await freePort();
  await writeFile(join(dir, 'nginx.conf'), configuration(dir, port, upstreams));
  const child = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));

  let stopping: Promise<void> | undefined;
  const close = () => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        // SIGQUIT would wait for open WebSockets; the test is over, so stop at once.
        child.kill('SIGTERM');
        await exited;
      }
      process.off('exit', killOnExit);
      await rm(dir, { recursive: true, force: true });
    })();
    return stopping;
  };
  try {
    await listening(port, child, () => stderr);
  } catch (error) {
    await close();
    throw error;
  }
  return { url: `http://127.0.0.1:${port}`, close };
}

/** The documented configuration, minus TLS, with every path inside `dir`. */
function configuration(dir: string, port: number, upstreams: string[]): string {
  return `
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${join(dir, 'body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
  upstream parley {
${upstreams.map((upstream) => `    server ${upstream};`).join('\n')}
  }
  map $http_upgrade $connection_upgrade {
    default upgrade;
    ''      close;
  }
  server {
    listen 127.0.0.1:${port};
    location = /metrics {
      return 404;
    }
    location / {
      proxy_pass http://parley;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_read_timeout 120s;
      # Workers may not be able to write to the temporary directory; responses here are small.
      proxy_max_temp_file_size 0;
    }
  }
}
`;
}

/** Resolves once a TCP connection to the port succeeds; rejects if nginx exits or takes too long. */
async function listening(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
  await vi.waitFor(
    async () => {
      // An exited nginx ends the wait at once; it is reported below.
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (!(await accepts(port)))
        throw new Error(`nginx was not listening on port ${port} after ${READY_TIMEOUT_MS} ms:\n${stderr()}`);
    },
    { timeout: READY_TIMEOUT_MS, interval: 50 },
  );
  if (child.exitCode !== null || child.signalCode !== null)
    throw new Error(`nginx exited with ${child.exitCode ?? child.signalCode}:\n${stderr()}`);
}

/** Whether a TCP connection to the port on 127.0.0.1 succeeds now. */
function accepts(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
