/**
 * Running a real nginx on an exported configuration: a minimal nginx.conf around `certgate.conf` with
 * every path in a temp folder, `nginx -t`, and nginx in the foreground as a child process.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { NGINX_LISTEN } from '../../../../main/core/export/nginx';

const run = promisify(execFile);

/** A port that was free a moment ago (bound to 0, then closed). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Write `dir/nginx.conf` (creating `dir`) that includes the export's certgate.conf, its listen address moved to `port`.
 * As root, workers run as root too: the exported key files are 0600 and owned by the test's user.
 */
export async function wrapExport(dir: string, exportDir: string, port: number): Promise<string> {
  await mkdir(dir, { recursive: true });
  const include = path.join(exportDir, 'certgate.conf');
  const conf = await readFile(include, 'utf8');
  await writeFile(include, conf.replace(`listen ${NGINX_LISTEN};`, `listen 127.0.0.1:${port};`));
  const temp = (name: string): string => path.join(dir, `${name}-temp`);
  const main = path.join(dir, 'nginx.conf');
  await writeFile(
    main,
    [
      process.getuid?.() === 0 ? 'user root;' : '',
      'worker_processes 1;',
      'daemon off;',
      `pid ${path.join(dir, 'nginx.pid')};`,
      `error_log ${path.join(dir, 'error.log')} info;`,
      'events {}',
      'http {',
      '    access_log off;',
      `    client_body_temp_path ${temp('body')};`,
      `    proxy_temp_path ${temp('proxy')};`,
      `    fastcgi_temp_path ${temp('fastcgi')};`,
      `    uwsgi_temp_path ${temp('uwsgi')};`,
      `    scgi_temp_path ${temp('scgi')};`,
      `    include ${include};`,
      '}',
      '',
    ].join('\n'),
  );
  return main;
}

/** `nginx -t` on a configuration: the exit code and what nginx said. */
export async function nginxTest(dir: string, conf: string): Promise<{ ok: boolean; output: string }> {
  try {
    const r = await run('nginx', ['-t', '-p', dir, '-c', conf, '-e', path.join(dir, 'error.log')]);
    return { ok: true, output: r.stdout + r.stderr };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

/** A running nginx. */
export interface RunningNginx {
  readonly process: ChildProcess;
  /** Graceful stop (SIGQUIT), then SIGKILL after 5 s; resolves once it has exited. */
  stop(): Promise<void>;
}

/** Start nginx in the foreground and wait until it accepts connections on `port`. */
export async function startNginx(dir: string, conf: string, port: number): Promise<RunningNginx> {
  const child = spawn('nginx', ['-p', dir, '-c', conf, '-e', path.join(dir, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGQUIT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}): ${stderr}`);
    if (await accepts(port)) return { process: child, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`nginx did not listen on ${port} within 10 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** One GET through nginx: status, headers and body text. */
export function get(port: number, target: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: target, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
  });
}
