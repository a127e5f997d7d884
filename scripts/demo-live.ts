import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { t, type Lang, type Text } from '../src/i18n/index.ts';
import type { Sandbox } from '../src/sandbox/index.ts';
import { formatClock } from '../src/util/time.ts';

/**
 * The demo's last part (`npm run demo`, issue 10 item 8): `serve` over the demo's store, the sandbox
 * sending a live stream of changes to it as WeCom would, an API token, and a short line each time the
 * store applies an event, until Ctrl+C, which stops everything cleanly (serve finishes its requests,
 * the sandbox stops) and exits 0.
 */

export interface LiveOptions {
  lang: Lang;
  sandbox: Sandbox;
  bin: string;
  configFile: string;
  cwd: string;
  eventsPerMinute: number;
  /** Where the lines go (stdout). */
  write(line: string): void;
}

const TEXT = {
  starting: { zh: '\n▶ 启动服务：wecom-archive serve（沙箱每分钟产生 {rate} 个变更并以回调推送）', en: '\n▶ Start the service: wecom-archive serve (the sandbox makes {rate} changes a minute and pushes them as callbacks)' },
  url: { zh: '  服务地址：   {url}', en: '  Service:     {url}' },
  ui: { zh: '  网页界面：   {url}/（演示账号如下，密码仅显示这一次）', en: '  Web UI:      {url}/ (the demo sign-ins below; passwords shown this once)' },
  login: { zh: '               {name} / {password}', en: '               {name} / {password}' },
  openapi: { zh: '  OpenAPI：    {url}', en: '  OpenAPI:     {url}' },
  token: { zh: '  API 令牌：   {token}（演示用，仅显示这一次）', en: '  API token:   {token} (a demo credential, shown this once)' },
  try: { zh: '  试一试：     curl -H "Authorization: Bearer {token}" {url}/api/v1/employees?limit=3', en: '  Try:         curl -H "Authorization: Bearer {token}" {url}/api/v1/employees?limit=3' },
  follow: { zh: '数据库随沙箱的变更在几秒内更新，每应用一个事件显示一行。按 Ctrl+C 停止。', en: 'The store follows the sandbox’s changes within seconds; one line per applied event. Ctrl+C stops.' },
  applied: { zh: '  ✓ {time} {event} {record}', en: '  ✓ {time} {event} {record}' },
  failed: { zh: '  ✗ {time} {event}：{error}（将重试）', en: '  ✗ {time} {event}: {error} (will retry)' },
  stopping: { zh: '\n正在停止：服务完成进行中的请求，沙箱停止…', en: '\nStopping: the service finishes its requests, the sandbox stops…' },
  serveFailed: { zh: '服务未能启动（退出码 {code}）', en: 'The service did not start (exit code {code})' },
} satisfies Record<string, Text>;

interface ApiEvent {
  id: number;
  eventKind: string;
  status: string;
  lastError: string | null;
  effect: { entity: string | null; record: string | null; change: string | null };
}

/** Runs until SIGINT or SIGTERM; resolves with the exit code. */
export async function runLive(options: LiveOptions): Promise<number> {
  const say = (text: Text, vars?: Record<string, string | number>) => options.write(t(text, options.lang, vars));
  say(TEXT.starting, { rate: options.eventsPerMinute });
  // serve starts only once an admin exists.
  const users = await createUsers(options);
  const serve = startServe(options);
  let stopRequested = 0;
  const stopped = new Promise<void>((resolve) => {
    const on = () => {
      // npm and the terminal may both pass one Ctrl+C on: a repeat within a second is the same one;
      // a later one, while stopping, gives up waiting.
      if (stopRequested && Date.now() - stopRequested > 1000) process.exit(130);
      if (stopRequested) return;
      stopRequested = Date.now();
      resolve();
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
  try {
    const url = await serve.url;
    const token = await createToken(options);
    say(TEXT.url, { url });
    say(TEXT.ui, { url });
    for (const user of users) say(TEXT.login, { name: user.name, password: user.password });
    say(TEXT.openapi, { url: `${url}/api/v1/openapi.json` });
    say(TEXT.token, { token });
    say(TEXT.try, { token, url });
    say(TEXT.follow);
    options.sandbox.callbacks.setUrl(url);
    options.sandbox.callbacks.setEventsPerMinute(options.eventsPerMinute);
    const watcher = watchEvents(url, token, (event) => {
      // China time, as every other time the product prints (the steps above, the web UI).
      const time = formatClock(Date.now());
      if (event.status === 'applied') {
        const record = [event.effect.entity, event.effect.record, event.effect.change].filter(Boolean).join(' ');
        say(TEXT.applied, { time, event: event.eventKind, record: clip(record, 120 - 14 - event.eventKind.length) });
      } else say(TEXT.failed, { time, event: event.eventKind, error: clip(event.lastError ?? '', 60) });
    });
    await Promise.race([stopped, serve.exited.then((code) => { throw new Error(t(TEXT.serveFailed, options.lang, { code })); })]);
    say(TEXT.stopping);
    watcher.stop();
    options.sandbox.callbacks.setEventsPerMinute(0);
    options.sandbox.callbacks.setUrl(null);
    return (await serve.stop()) === 0 ? 0 : 1;
  } catch (err) {
    await serve.stop();
    throw err;
  }
}

function clip(text: string, width: number): string {
  const room = Math.max(10, width);
  return text.length > room ? `${text.slice(0, room - 1)}…` : text;
}

interface ServeChild {
  url: Promise<string>;
  exited: Promise<number>;
  /** SIGTERM (once), then the exit code. */
  stop(): Promise<number>;
}

/**
 * `serve --port 0 --json` over the demo's store, in its own process group: Ctrl+C reaches the demo
 * only, which then stops serve with one SIGTERM (a second signal would end serve at once).
 */
function startServe(options: LiveOptions): ServeChild {
  const child: ChildProcess = spawn(process.execPath, [options.bin, 'serve', '--port', '0', '--json', '--config', options.configFile, '--lang', options.lang], {
    cwd: options.cwd, stdio: ['ignore', 'pipe', 'inherit'], detached: true,
    // Its own log lines stay out of the way: the demo prints one line per applied event.
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
  });
  const exited = new Promise<number>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
  const killOnExit = () => child.kill('SIGTERM');
  process.on('exit', killOnExit);
  const url = new Promise<string>((resolve, reject) => {
    let text = '';
    createInterface({ input: child.stdout! }).on('line', (line) => {
      text += line;
      try {
        resolve((JSON.parse(text) as { url: string }).url);
      } catch { /* the document is not complete yet */ }
    });
    void exited.then((code) => reject(new Error(t(TEXT.serveFailed, options.lang, { code }))));
  });
  let stopping: Promise<number> | undefined;
  return {
    url, exited,
    stop() {
      if (!stopping) {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        stopping = exited.finally(() => process.off('exit', killOnExit));
      }
      return stopping;
    },
  };
}

async function createToken(options: LiveOptions): Promise<string> {
  const out = await cli(options, ['tokens', 'create', '--name', `demo-${Date.now()}`, '--role', 'auditor', '--json']);
  return (JSON.parse(out) as { token: string }).token;
}

/** The demo's sign-ins for the web UI: one per role a reviewer has, each with a fresh password. */
const DEMO_USERS = [
  { name: 'admin', args: ['--role', 'admin'] },
  { name: 'auditor', args: ['--role', 'auditor'] },
  // Department 2 is the sandbox's sales department.
  { name: 'manager', args: ['--role', 'manager', '--department', '2'] },
] as const;

async function createUsers(options: LiveOptions): Promise<Array<{ name: string; password: string }>> {
  const users = [];
  for (const user of DEMO_USERS) {
    const password = `demo-${randomBytes(6).toString('base64url')}`;
    await cli(options, ['users', 'add', user.name, ...user.args, '--password-stdin', '--json'], `${password}\n`);
    users.push({ name: user.name, password });
  }
  return users;
}

/** One CLI command over the demo's config; its standard output. */
async function cli(options: LiveOptions, args: string[], input = ''): Promise<string> {
  const child = spawn(process.execPath, [options.bin, ...args, '--config', options.configFile], {
    cwd: options.cwd, stdio: ['pipe', 'pipe', 'inherit'],
  });
  child.stdin.end(input);
  let out = '';
  child.stdout.on('data', (chunk) => { out += chunk; });
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  if (code !== 0) throw new Error(`wecom-archive ${args[0]} ${args[1] ?? ''} exited ${code}`);
  return out;
}

/**
 * Polls `/api/v1/events` with the token (the demo is an API client like any other) and reports each
 * event once it is applied, or when it failed (it is retried with backoff).
 */
function watchEvents(url: string, token: string, report: (event: ApiEvent) => void): { stop(): void } {
  const seen = new Map<number, string>();
  let first = true;
  let timer: NodeJS.Timeout | undefined;
  let active = true;
  const poll = async () => {
    try {
      const response = await fetch(`${url}/api/v1/events?limit=50`, { headers: { authorization: `Bearer ${token}` } });
      if (response.ok) {
        const { events } = (await response.json()) as { events: ApiEvent[] };
        for (const event of [...events].reverse()) {
          const before = seen.get(event.id);
          seen.set(event.id, event.status);
          // The first poll only learns what was there before the stream started.
          if (first || before === event.status) continue;
          if (event.status === 'applied' || event.status === 'failed' || event.status === 'parked') report(event);
        }
        first = false;
      }
    } catch { /* serve is stopping; the next poll, if any, tries again */ }
    if (active) timer = setTimeout(poll, 1000);
  };
  void poll();
  return {
    stop() {
      active = false;
      clearTimeout(timer);
    },
  };
}
