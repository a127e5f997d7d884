import type { Command } from 'commander';
import { createInterface } from 'node:readline/promises';
import { resolve } from 'node:path';
import { Writable } from 'node:stream';
import { ASKED_KEYS, isConfigKey, keySpec, type ConfigKey } from '../../config/keys.ts';
import { ConfigError, DEFAULT_CONFIG_FILE } from '../../config/load.ts';
import { validateValues } from '../../config/validate.ts';
import { writeConfigFile } from '../../config/write.ts';
import { t, type Lang } from '../../i18n/index.ts';
import { UserError } from '../../util/errors.ts';
import { redactSecret } from '../../util/redact.ts';
import { action } from '../context.ts';
import { printJson } from '../output.ts';

interface InitOptions {
  output?: string;
  force?: boolean;
  set?: string[];
}

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('write a new config file (mode 0600): interactively, or from --set KEY=VALUE flags')
    .option('-o, --output <file>', `file to write (default ./${DEFAULT_CONFIG_FILE})`)
    .option('--set <KEY=VALUE...>', 'set a key without asking (repeatable); with --set nothing is asked')
    .option('--force', 'overwrite an existing file')
    .action(action(async (ctx, opts: InitOptions) => {
      const file = resolve(opts.output ?? DEFAULT_CONFIG_FILE);
      const values = opts.set?.length ? fromFlags(opts.set) : await ask(ctx.lang);
      const problems = validateValues(values).filter((p) => p.severity === 'error');
      if (problems.length) throw new ConfigError(problems);
      writeConfigFile(file, values, { force: opts.force, lang: ctx.lang });
      if (ctx.json) printJson({ ok: true, file, keys: Object.keys(values) });
      else ctx.info({ zh: '已写入 {file}（权限 0600）。下一步：wecom-archive doctor', en: 'Wrote {file} (mode 0600). Next: wecom-archive doctor' }, { file });
    }));
}

function fromFlags(pairs: string[]): Partial<Record<ConfigKey, string>> {
  const values: Partial<Record<ConfigKey, string>> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = eq > 0 ? pair.slice(0, eq) : pair;
    if (eq <= 0 || !isConfigKey(key)) {
      throw new UserError('init_bad_flag', {
        what: { zh: '--set {pair} 无法识别', en: '--set {pair} is not understood' },
        fix: { zh: '格式为 --set KEY=VALUE，KEY 见 README 的配置项表', en: 'Use --set KEY=VALUE with a key from the README configuration table' },
        vars: { pair: key },
      });
    }
    values[key] = pair.slice(eq + 1);
  }
  return values;
}

/** Ctrl+C / Ctrl+D at a prompt: nothing was written, and that is what the user is told. */
function cancelled(cause: unknown): UserError {
  return new UserError('init_cancelled', {
    what: { zh: '已取消，未写入任何文件', en: 'Cancelled; no file was written' },
  }, { cause });
}

async function ask(lang: Lang): Promise<Partial<Record<ConfigKey, string>>> {
  if (!process.stdin.isTTY) {
    throw new UserError('init_not_interactive', {
      what: { zh: '没有终端可供提问', en: 'No terminal to ask questions on' },
      fix: { zh: '在终端中运行，或用 --set KEY=VALUE 提供各项', en: 'Run it in a terminal, or give each value with --set KEY=VALUE' },
    });
  }
  // Secrets are typed blind: the terminal echo goes through `output`, muted while one is typed.
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  const values: Partial<Record<ConfigKey, string>> = {};
  try {
    for (const key of ASKED_KEYS) {
      const spec = keySpec(key)!;
      const hint = t({ zh: '（回车跳过）', en: ' (Enter to skip)' }, lang);
      const question = rl.question(`${key}: ${spec.doc[lang]}${hint}\n> `);
      muted = Boolean(spec.secret);
      const answer = (await question.catch((err: unknown) => { throw cancelled(err); })).trim();
      muted = false;
      if (spec.secret && answer) process.stderr.write(`${redactSecret(answer)}\n`);
      if (answer) values[key] = answer;
    }
  } finally {
    rl.close();
  }
  return values;
}
