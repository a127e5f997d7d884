import type { Command } from 'commander';
import { t, type Text } from '../../i18n/index.ts';
import { UserError } from '../../util/errors.ts';
import { formatTime } from '../../util/time.ts';
import { action } from '../context.ts';
import { printJson, renderTable, TABLE_WIDTH } from '../output.ts';
import { grantInput, grantOptions, readPassword, type GrantOptions } from './grant-options.ts';

const TEXT = {
  added: { zh: '已添加用户 {name}（{role}）', en: 'Added the user {name} ({role})' },
  disabled: { zh: '已停用用户 {name}，其会话均已结束', en: 'Disabled the user {name}; their sessions are ended' },
  passwd: { zh: '已更新 {name} 的密码，其会话均已结束', en: 'Changed the password of {name}; their sessions are ended' },
  role: { zh: '{name} 现在是 {role}，其会话均已结束', en: '{name} is now {role}; their sessions are ended' },
  none: { zh: '还没有用户；用 wecom-archive users add admin --role admin --password-stdin 创建', en: 'No users yet; create one with wecom-archive users add admin --role admin --password-stdin' },
  all: { zh: '全部', en: 'all' },
  live: { zh: '有效', en: 'active' },
  off: { zh: '已停用 {time}', en: 'disabled {time}' },
} satisfies Record<string, Text>;

const H = {
  name: { zh: '用户名', en: 'name' }, role: { zh: '角色', en: 'role' }, corps: { zh: '企业', en: 'corps' },
  departments: { zh: '部门', en: 'departments' }, created: { zh: '创建时间', en: 'created' }, state: { zh: '状态', en: 'state' },
} satisfies Record<string, Text>;

/** `wecom-archive users add|list|disable|passwd|role`: the web UI's users (argon2id; admins only). */
export function registerUsers(program: Command): void {
  const users = program.command('users').description('manage the users of the web UI (passwords hashed with argon2id)');

  grantOptions(users.command('add')
    .description('add a user; the password is read from standard input; the corps granted: --corp ID[,ID…] (none: every corp)')
    .argument('<name>', 'the login name')
    .option('--password-stdin', 'read the password from standard input (required)'), true)
    .action(action(async (ctx, name: string, opts: GrantOptions & { passwordStdin?: boolean }) => {
      const { addUser } = await import('../../services/users.ts');
      const result = await addUser(await ctx.runtime(), { name, role: opts.role!, ...grantInput(opts, ctx.corp), password: await passwordFrom(opts) });
      if (ctx.json) return printJson(result);
      ctx.info(TEXT.added, { name: result.user.name, role: result.user.role });
    }));

  users.command('list')
    .description('list the users (never their passwords)')
    .action(action(async (ctx) => {
      const { listUsers } = await import('../../services/users.ts');
      const result = await listUsers(await ctx.runtime());
      if (ctx.json) return printJson(result);
      if (result.users.length === 0) return ctx.info(TEXT.none);
      const headers = [H.name, H.role, H.corps, H.departments, H.created, H.state].map((h) => t(h, ctx.lang));
      const rows = result.users.map((u) => [
        u.name, u.role, u.corps.join(', ') || t(TEXT.all, ctx.lang), u.departments.join(', '), formatTime(u.createdAt),
        u.disabledAt === null ? t(TEXT.live, ctx.lang) : t(TEXT.off, ctx.lang, { time: formatTime(u.disabledAt) }),
      ]);
      process.stdout.write(`${renderTable(headers, rows, { maxWidth: TABLE_WIDTH, keep: [true] })}\n`);
    }));

  users.command('disable')
    .description('disable a user and end their sessions')
    .argument('<name>', 'the login name')
    .action(action(async (ctx, name: string) => {
      const { disableUser } = await import('../../services/users.ts');
      const result = await disableUser(await ctx.runtime(), { name });
      if (ctx.json) return printJson(result);
      ctx.info(TEXT.disabled, { name });
    }));

  users.command('passwd')
    .description('set a user\'s password (from standard input) and end their sessions')
    .argument('<name>', 'the login name')
    .option('--password-stdin', 'read the password from standard input (required)')
    .action(action(async (ctx, name: string, opts: { passwordStdin?: boolean }) => {
      const { setPassword } = await import('../../services/users.ts');
      const result = await setPassword(await ctx.runtime(), { name, password: await passwordFrom(opts) });
      if (ctx.json) return printJson(result);
      ctx.info(TEXT.passwd, { name });
    }));

  grantOptions(users.command('role')
    .description('change a user\'s role and scope and end their sessions; the corps granted: --corp ID[,ID…]')
    .argument('<name>', 'the login name'), true)
    .action(action(async (ctx, name: string, opts: GrantOptions) => {
      const { setRole } = await import('../../services/users.ts');
      const result = await setRole(await ctx.runtime(), { name, role: opts.role!, ...grantInput(opts, ctx.corp) });
      if (ctx.json) return printJson(result);
      ctx.info(TEXT.role, { name, role: result.user.role });
    }));
}

/** Passwords come from standard input only: never an argument (shell history, the process list). */
async function passwordFrom(opts: { passwordStdin?: boolean }): Promise<string> {
  if (opts.passwordStdin) return readPassword();
  throw new UserError('cli_password_stdin', {
    what: { zh: '需要 --password-stdin', en: '--password-stdin is required' },
    why: { zh: '密码不作为参数给出，以免留在命令历史和进程列表中', en: 'A password is never an argument: it would stay in the shell history and the process list' },
    fix: { zh: '如：echo "<密码>" | wecom-archive users add <用户名> --role viewer --password-stdin', en: 'E.g. echo "<password>" | wecom-archive users add <name> --role viewer --password-stdin' },
  });
}
