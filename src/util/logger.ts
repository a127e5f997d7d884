import { pino, type Logger } from 'pino';
import { redactText, redactValue } from './redact.ts';
import { formatTime } from './time.ts';

/**
 * The long-running processes' log (`worker` and `serve`, Fastify's included): pino, one JSON object
 * per line for a log collector, or a plain line per event on a terminal. Every field and message goes
 * through the project's redaction (src/util/redact.ts) on the way out, so no secret reaches a log.
 * A request is logged by method and URL (a callback's msg_signature and echostr shortened), never
 * with its headers; an error by its type, code and redacted message and stack.
 */

export interface LoggerOptions {
  /** JSON lines (default: when stdout is not a terminal). */
  json?: boolean;
  /** Default `info`; `LOG_LEVEL` in the environment overrides it (debug shows every poll). */
  level?: string;
  /** Where the lines go (default stdout). */
  write?: (line: string) => void;
}

const SERIALIZERS = {
  req: (req: { method?: string; url?: string; ip?: string; socket?: { remoteAddress?: string } }) => ({
    method: req.method, url: req.url && redactText(req.url), remoteAddress: req.ip ?? req.socket?.remoteAddress,
  }),
  res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
  err: (err: Error & { code?: string; statusCode?: number }) => ({
    type: err.name, code: err.code, statusCode: err.statusCode, message: redactText(err.message), stack: err.stack && redactText(err.stack),
  }),
};

export function createLogger(options: LoggerOptions = {}): Logger {
  const json = options.json ?? !process.stdout.isTTY;
  const write = options.write ?? ((line: string) => void process.stdout.write(line));
  return pino({
    level: process.env.LOG_LEVEL ?? options.level ?? 'info',
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: SERIALIZERS,
    formatters: { log: (fields) => redactValue(fields) },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((arg) => (typeof arg === 'string' ? redactText(arg) : arg)) as Parameters<typeof method>);
      },
    },
  }, { write: json ? write : (line: string) => write(plainLine(line)) });
}

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** `2026-12-07 12:00:03 INFO archive pulled corpId=ww… stored=3`: a JSON line made readable. */
export function plainLine(line: string): string {
  const { time, level, msg, pid: _pid, hostname: _host, ...fields } = JSON.parse(line) as Record<string, unknown>;
  const clock = typeof time === 'string' ? formatTime(Date.parse(time)) : '';
  const rest = Object.entries(fields).map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return `${[clock, LEVELS[level as number] ?? level, msg, ...rest].filter(Boolean).join(' ')}\n`;
}
