import type { Command } from 'commander';
import { t, type Text } from '../../i18n/index.ts';
import { formatTime } from '../../util/time.ts';
import { action } from '../context.ts';
import { printJson, renderTable, TABLE_WIDTH } from '../output.ts';
import { grantInput, grantOptions, type GrantOptions } from './grant-options.ts';

const TEXT = {
  created: { zh: '已创建令牌 {name}（ID {id}）。它只显示这一次，请立即保存：', en: 'Created the token {name} (id {id}). It is shown this once; store it now:' },
  use: { zh: '调用 API 时发送请求头：Authorization: Bearer <令牌>', en: 'Send it with API calls as: Authorization: Bearer <token>' },
  none: { zh: '还没有令牌；用 wecom-archive tokens create --name <名称> 创建', en: 'No tokens yet; create one with wecom-archive tokens create --name <name>' },
  revoked: { zh: '已撤销令牌 {name}（ID {id}）', en: 'Revoked the token {name} (id {id})' },
  live: { zh: '有效', en: 'live' },
  revokedState: { zh: '已撤销 {time}', en: 'revoked {time}' },
} satisfies Record<string, Text>;

const H = {
  id: { zh: 'ID', en: 'id' },
  name: { zh: '名称', en: 'name' },
  prefix: { zh: '前缀', en: 'prefix' },
  created: { zh: '创建时间', en: 'created' },
  lastUsed: { zh: '最近使用', en: 'last used' },
  state: { zh: '状态', en: 'state' },
  role: { zh: '角色', en: 'role' },
} satisfies Record<string, Text>;

/** `wecom-archive tokens create|list|revoke`: the API tokens (stored hashed; a token is shown once, when made). */
export function registerTokens(program: Command): void {
  const tokens = program.command('tokens').description('manage the API tokens of the REST API (stored hashed)');

  grantOptions(tokens.command('create')
    .description('make an API token and print it once; the corps granted: --corp ID[,ID…]')
    .requiredOption('--name <name>', 'who or what uses it (shown in tokens list)'), false)
    .action(action(async (ctx, opts: { name: string } & GrantOptions) => {
      const { createToken } = await import('../../services/tokens.ts');
      const created = await createToken(await ctx.runtime(), { name: opts.name, role: opts.role, ...grantInput(opts, ctx.corp) });
      if (ctx.json) return printJson(created);
      ctx.info(TEXT.created, { name: created.name, id: created.id });
      process.stdout.write(`${created.token}\n`);
      ctx.info(TEXT.use);
    }));

  tokens.command('list')
    .description('list the API tokens (never the tokens themselves)')
    .action(action(async (ctx) => {
      const { listTokens } = await import('../../services/tokens.ts');
      const result = await listTokens(await ctx.runtime());
      if (ctx.json) return printJson(result);
      if (result.tokens.length === 0) return ctx.info(TEXT.none);
      const headers = [H.id, H.name, H.prefix, H.role, H.created, H.lastUsed, H.state].map((h) => t(h, ctx.lang));
      const rows = result.tokens.map((tk) => [
        tk.id, tk.name, `${tk.prefix}…`, [tk.role, ...tk.corps, ...tk.departments.map((d) => `#${d}`)].join(' '), formatTime(tk.createdAt), tk.lastUsedAt === null ? '' : formatTime(tk.lastUsedAt),
        tk.revokedAt === null ? t(TEXT.live, ctx.lang) : t(TEXT.revokedState, ctx.lang, { time: formatTime(tk.revokedAt) }),
      ]);
      process.stdout.write(`${renderTable(headers, rows, { maxWidth: TABLE_WIDTH, keep: [true] })}\n`);
    }));

  tokens.command('revoke')
    .description('revoke an API token by id, or by name when one live token has it')
    .argument('<id-or-name>', 'the token\'s id or name (tokens list)')
    .action(action(async (ctx, idOrName: string) => {
      const { revokeToken } = await import('../../services/tokens.ts');
      const result = await revokeToken(await ctx.runtime(), { idOrName });
      if (ctx.json) return printJson(result);
      ctx.info(TEXT.revoked, { name: result.token.name, id: result.token.id });
    }));
}
