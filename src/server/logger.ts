import pino, { type DestinationStream, type Logger } from 'pino';
import { redactText } from '../util/redact.ts';

/**
 * The server's structured log (pino, one JSON object per line), through the project's redaction:
 * a request is logged by method and URL with its query's secrets shortened (a callback's
 * msg_signature and echostr keep a prefix, enough to match a log line to a request), headers never;
 * an error by its type, code and redacted message and stack.
 */

export interface LoggerOptions {
  level?: string;
  /** Where lines go (default stdout). */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino({
    level: options.level ?? 'info',
    base: { pid: process.pid },
    serializers: {
      req: (req: { method?: string; url?: string; ip?: string; socket?: { remoteAddress?: string } }) => ({
        method: req.method, url: req.url && redactText(req.url), remoteAddress: req.ip ?? req.socket?.remoteAddress,
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      err: (err: Error & { code?: string; statusCode?: number }) => ({
        type: err.name, code: err.code, statusCode: err.statusCode, message: redactText(err.message), stack: err.stack && redactText(err.stack),
      }),
    },
    // Belt and braces: nothing logs headers, but a credential that got there would be hidden.
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie'], censor: '[redacted]' },
  }, options.destination);
}
