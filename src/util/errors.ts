import { t, type Lang, type Text } from '../i18n/index.ts';
import { redactText } from './redact.ts';

/**
 * An error meant for a person: what happened, why, and what to do next, in both languages.
 * The CLI and the server print these without a stack trace; anything else is a bug and is reported
 * as one (with a hint to rerun with WECOM_ARCHIVE_DEBUG=1).
 */
export class UserError extends Error {
  readonly code: string;
  readonly what: Text;
  readonly why?: Text;
  readonly fix?: Text;
  readonly vars: Record<string, string | number>;

  constructor(
    code: string,
    parts: { what: Text; why?: Text; fix?: Text; vars?: Record<string, string | number> },
    options?: { cause?: unknown },
  ) {
    super(redactText(t(parts.what, 'en', parts.vars)), options);
    this.name = 'UserError';
    this.code = code;
    this.what = parts.what;
    this.why = parts.why;
    this.fix = parts.fix;
    this.vars = parts.vars ?? {};
  }

  /** The three lines a person reads, secrets redacted. */
  describe(lang: Lang): { what: string; why?: string; fix?: string } {
    const render = (text?: Text) => (text ? redactText(t(text, lang, this.vars)) : undefined);
    return { what: render(this.what)!, why: render(this.why), fix: render(this.fix) };
  }
}

export function isUserError(err: unknown): err is UserError {
  return err instanceof UserError;
}
