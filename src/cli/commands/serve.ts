import type { Command } from 'commander';
import type { Text } from '../../i18n/index.ts';
import type { Logger } from 'pino';
import type { Runtime } from '../../services/runtime.ts';
import { UserError } from '../../util/errors.ts';
import { action } from '../context.ts';
import { printJson } from '../output.ts';

const TEXT = {
  listening: { zh: 'wecom-archive 服务已启动：{url}', en: 'wecom-archive is serving at {url}' },
  openapi: { zh: 'API 文档（OpenAPI 3.1，需要令牌）：{openapi}', en: 'API document (OpenAPI 3.1, needs a token): {openapi}' },
  token: { zh: '创建令牌：wecom-archive tokens create --name <名称> --role <角色>；网页界面的用户：wecom-archive users add', en: 'Create a token: wecom-archive tokens create --name <name> --role <role>; web UI users: wecom-archive users add' },
  stop: { zh: '按 Ctrl+C 停止（处理完进行中的请求后退出）', en: 'Ctrl+C stops it (after the requests in flight finish)' },
  stopping: { zh: '正在停止：等待进行中的请求完成…', en: 'Stopping: finishing the requests in flight…' },
} satisfies Record<string, Text>;

/**
 * `wecom-archive serve`: the REST API (and, merged from helper CALLBACKS, the WeCom callbacks) until
 * SIGTERM or SIGINT, then a clean stop: no new connections, the requests in flight finished, the
 * background work stopped, the runtime closed (its leases released), exit 0.
 */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the REST API over HTTP until SIGTERM/SIGINT (SERVER_HOST, SERVER_PORT)')
    .option('--host <address>', 'listen on this address (default SERVER_HOST, else 127.0.0.1)')
    .option('--port <n>', 'listen on this port (default SERVER_PORT, else 8080; 0 picks a free one)')
    .option('--with-jobs', 'also run the background jobs in this process (the default on SQLite)')
    .action(action(async (ctx, opts: { host?: string; port?: string; withJobs?: boolean }) => {
      const { startServer } = await import('../../server/start.ts');
      const port = portOption(opts.port);
      const rt = await ctx.runtime();
      // Nobody could manage users without an admin: refuse, saying how to make one.
      const { requireAdminUser } = await import('../../services/users.ts');
      await requireAdminUser(rt);
      // On SQLite one process does everything; on PostgreSQL `worker` processes run the jobs unless asked here.
      const withJobs = Boolean(opts.withJobs) || !rt.deployment.databaseUrl;
      const stopped = signalled();
      const running = await startServer(rt, { host: opts.host, port, background: withJobs ? startJobs : undefined });
      if (ctx.json) printJson({ ok: true, url: running.url, publicUrl: running.publicUrl, openapi: running.openapiUrl });
      else {
        for (const line of [TEXT.listening, TEXT.openapi, TEXT.token, TEXT.stop]) ctx.info(line, { url: running.publicUrl, openapi: running.openapiUrl });
      }
      await stopped;
      if (!ctx.json) ctx.info(TEXT.stopping);
      await running.close();
      return 0;
    }));
}

/** The background jobs beside the server (all of them on SQLite, where no `worker` may run). */
async function startJobs(rt: Runtime, log: Logger): Promise<{ stop(): Promise<void> }> {
  const { startBackground } = await import('../../jobs/index.ts');
  return startBackground(rt, log);
}

/** Resolves on the first SIGTERM or SIGINT (a second one is left to Node: it ends the process at once). */
function signalled(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', on);
      process.off('SIGINT', on);
      resolve(signal);
    };
    process.once('SIGTERM', on);
    process.once('SIGINT', on);
  });
}

function portOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (Number.isInteger(n) && n >= 0 && n <= 65535) return n;
  throw new UserError('cli_bad_port', {
    what: { zh: '选项 --port 的值“{value}”无效', en: 'Invalid value "{value}" for --port' },
    why: { zh: '端口须是 0 到 65535 之间的整数（0 表示任选一个空闲端口）', en: 'A port is a whole number from 0 to 65535 (0 picks a free one)' },
    vars: { value },
  });
}
