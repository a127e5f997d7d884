import type { Command } from 'commander';
import { describeProblem, configuredLang } from '../config/load.ts';
import type { Runtime } from '../services/runtime.ts';
import { explainStorageError, hasStorageFault } from '../services/storage.ts';
import { isLang, resolveLang, t, type Lang, type Text } from '../i18n/index.ts';
import { isUserError, UserError } from '../util/errors.ts';
import { WecomTransportError } from '../wecom/errors.ts';
import { redactText } from '../util/redact.ts';
import { jsonReplacer } from './output.ts';

/** What every command gets from the global options (`--config`, `--corp`, `--lang`, `--json`). */
export interface CliContext {
  lang: Lang;
  json: boolean;
  /** `--config` values (files or folders of `*.env` files), in the order given. */
  configPaths: string[];
  /** `--corp`: the corp a command acts on, or narrows its listing to. */
  corp?: string;
  /**
   * The process's runtime (config of every corp, store, clients), opened on first use with the
   * config's warnings printed once, and closed when the command ends. `strict: false` loads a
   * config with errors; `reportsProblems`: the command lists the config's problems itself (doctor,
   * config show), so its warnings are not printed twice.
   */
  runtime(options?: { strict?: boolean; reportsProblems?: boolean }): Promise<Runtime>;
  /** Prints a localized line to stderr (progress, warnings); stdout stays for results. */
  info(text: Text, vars?: Record<string, string | number>): void;
}

export function contextFrom(command: Command): CliContext & { closeRuntime(): Promise<void> } {
  const opts = command.optsWithGlobals() as { lang?: string; json?: boolean; config?: string[]; corp?: string };
  if (opts.lang !== undefined && !isLang(opts.lang)) {
    throw new UserError('cli_bad_lang', {
      what: { zh: '不支持的语言：{lang}', en: 'Unsupported language: {lang}' },
      fix: { zh: '使用 --lang zh 或 --lang en', en: 'Use --lang zh or --lang en' },
      vars: { lang: opts.lang },
    });
  }
  // --lang, then WECOM_ARCHIVE_LANG from the environment or the config file, then Chinese.
  const configPaths = opts.config ?? [];
  const lang = opts.lang ? resolveLang(opts.lang) : configuredLang(configPaths) ?? 'zh';
  let runtime: Promise<Runtime> | undefined;
  const ctx: CliContext & { closeRuntime(): Promise<void> } = {
    lang,
    json: Boolean(opts.json),
    configPaths,
    corp: opts.corp,
    info: (text, vars) => process.stderr.write(`${t(text, lang, vars)}\n`),
    runtime(options = {}) {
      runtime ??= (async () => {
        const { openRuntime } = await import('../services/runtime.ts');
        const opened = await openRuntime({
          configPaths, strict: options.strict, onReadOnlyStore: (location) => ctx.info(READ_ONLY, { location }),
        });
        // Every command warns about a mistyped key or a config others can read, not only doctor.
        for (const problem of options.reportsProblems ? [] : opened.deployment.problems) {
          if (problem.severity === 'warning') process.stderr.write(`⚠ ${describeProblem(problem, lang)}\n`);
        }
        return opened;
      })().catch((err) => {
        runtime = undefined;
        throw err;
      });
      return runtime;
    },
    async closeRuntime() {
      const opened = await runtime?.catch(() => undefined);
      runtime = undefined;
      await opened?.close();
    },
  };
  return ctx;
}

const READ_ONLY: Text = {
  zh: 'ℹ 存储是只读的（{location}）：只读取和校验，不写入任何内容',
  en: 'ℹ The store is read-only ({location}): reading and verifying only, nothing is written',
};

const UNEXPECTED: Text = {
  zh: '内部错误：{message}\n这是 wecom-archive 的缺陷，请设置 WECOM_ARCHIVE_DEBUG=1 重新运行并把输出（已脱敏）附在问题报告中。',
  en: 'Internal error: {message}\nThis is a bug in wecom-archive. Rerun with WECOM_ARCHIVE_DEBUG=1 and attach the (redacted) output to a bug report.',
};
const LABELS = {
  why: { zh: '原因', en: 'Why' },
  fix: { zh: '处理', en: 'Fix' },
} satisfies Record<string, Text>;

/**
 * Wraps a command action: resolves the context, and turns any failure into a readable message
 * (never a stack trace unless WECOM_ARCHIVE_DEBUG is set) and a non-zero exit code.
 */
export function action<A extends unknown[]>(
  fn: (ctx: CliContext, ...args: A) => Promise<number | void>,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    let ctx: ReturnType<typeof contextFrom>;
    try {
      ctx = contextFrom(command);
    } catch (err) {
      const { config } = command.optsWithGlobals() as { config?: string[] };
      reportError(err, { lang: configuredLang(config ?? []) ?? 'zh', json: false });
      process.exitCode = 2;
      return;
    }
    try {
      const code = await fn(ctx, ...(args.slice(0, -1) as A));
      if (typeof code === 'number') process.exitCode = code;
    } catch (caught) {
      // A stopped sandbox is named as such, with the command that starts it (src/doctor/sandbox.ts);
      // a full disk, a read-only or damaged store as what it is (src/store/storage-errors.ts).
      const err = caught instanceof WecomTransportError
        ? await explainStoppedSandbox(caught, ctx)
        : hasStorageFault(caught) ? explainStorageError(caught, await ctx.runtime({ strict: false }).catch(() => undefined)) : caught;
      reportError(err, ctx);
      process.exitCode = isUserError(err) ? 2 : 70;
    } finally {
      await ctx.closeRuntime().catch((err: unknown) => reportError(err, ctx));
    }
  };
}

async function explainStoppedSandbox(err: WecomTransportError, ctx: CliContext): Promise<unknown> {
  const [{ explainUnreachable }, rt] = await Promise.all([import('../doctor/sandbox.ts'), ctx.runtime({ strict: false }).catch(() => undefined)]);
  return explainUnreachable(err, rt?.deployment.corps ?? []);
}

/** An error as people read it: what happened, then why and what to do, each on its own line. */
export function errorLines(error: { what: string; why?: string; fix?: string }, lang: Lang): string[] {
  const lines = [`✖ ${error.what}`];
  // A reason of several lines (a stopped pull's "kept" line) stays under its label.
  if (error.why) lines.push(`  ${t(LABELS.why, lang)}: ${error.why.replaceAll('\n', '\n    ')}`);
  if (error.fix) lines.push(`  ${t(LABELS.fix, lang)}: ${error.fix}`);
  return lines;
}

export function reportError(err: unknown, ctx: Pick<CliContext, 'lang' | 'json'>): void {
  if (process.env.WECOM_ARCHIVE_DEBUG) process.stderr.write(`${redactText(String((err as Error)?.stack ?? err))}\n`);
  if (isUserError(err)) {
    const d = err.describe(ctx.lang);
    if (ctx.json) {
      // One line: a machine reads it, a terminal's indentation would only split it.
      process.stdout.write(`${JSON.stringify({ ok: false, error: { code: err.code, ...d } }, jsonReplacer)}\n`);
      return;
    }
    process.stderr.write(`${errorLines(d, ctx.lang).join('\n')}\n`);
    return;
  }
  const message = redactText(err instanceof Error ? err.message : String(err));
  process.stderr.write(`✖ ${t(UNEXPECTED, ctx.lang, { message })}\n`);
}
