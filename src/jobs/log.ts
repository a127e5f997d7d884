/**
 * What the background jobs log through: a pino logger fits as it is (`log.info({ corpId }, 'msg')`).
 * The faces make it (structured JSON lines with the project's redaction, or plain lines on a TTY).
 */
export interface JobLog {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

/** A log that drops everything (tests that do not look). */
export const silentLog: JobLog = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

type Level = 'debug' | 'info' | 'warn';

/**
 * Says a repeated condition once: the first time at its level, again only when it changes (another
 * error code, or back to normal), repeats at debug. A corp whose lease another process holds, or
 * whose WeCom is down, would otherwise log the same line every cycle.
 */
export class ChangeLog {
  private readonly last = new Map<string, string>();
  constructor(private readonly log: JobLog) {}

  /** `always`: at its level even when unchanged (it carries news). */
  say(key: string, state: string, level: Level, fields: object, message: string, always = false): void {
    const before = this.last.get(key);
    this.last.set(key, state);
    this.log[before === state && !always ? 'debug' : level](fields, message);
  }
}
