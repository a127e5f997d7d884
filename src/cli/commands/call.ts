import type { Command } from 'commander';
import { UserError } from '../../util/errors.ts';
import { redactValue } from '../../util/redact.ts';
import { WecomMissingCredentialError } from '../../wecom/errors.ts';
import { CREDENTIAL_KINDS, endpointNames, endpoints, findEndpoint, type CredentialKind } from '../../wecom/endpoints.ts';
import { parseJson } from '../../wecom/json.ts';
import { action } from '../context.ts';
import { printJson } from '../output.ts';

/**
 * `wecom-archive call <endpoint>`: the raw escape hatch (style-anchors lesson I.28). Any catalogue
 * endpoint, by name (`user.get`) or path (`user/get`), with the right token, retries and limits of
 * the real client; the answer is printed as JSON with secrets redacted. Parameters:
 *   --param k=v     a string value (repeatable)
 *   --param k:=v    a JSON value: numbers, booleans, arrays (`--param userid_list:='["a","b"]'`)
 *   --body '{…}'    a JSON object of parameters (named --body because the global --json means
 *                   "machine-readable output"); --param values override its keys.
 * GET endpoints send the parameters in the query string, POST endpoints as the JSON body.
 */

interface CallFlags {
  param?: string[];
  body?: string;
  credential?: string;
}

export function registerCall(program: Command): void {
  program
    .command('call')
    .description('call any WeCom API endpoint of the catalogue with the right token; prints the answer (secrets redacted)')
    .argument('<endpoint>', 'catalogue name (user.get) or path (user/get)')
    .option('--param <key=value>', 'a parameter; key:=json for a JSON value (repeatable)', collect)
    .option('--body <json>', 'parameters as one JSON object')
    .option('--credential <kind>', `use this secret's token: ${CREDENTIAL_KINDS.join(', ')}`)
    .addHelpText('after', endpointList)
    .action(action(async (ctx, nameOrPath: string, flags: CallFlags) => {
      const name = findEndpoint(nameOrPath);
      if (!name) throw unknownEndpoint(nameOrPath);
      const credential = parseCredential(flags.credential);
      const params = { ...parseBody(flags.body), ...parseParams(flags.param ?? []) };
      const rt = await ctx.runtime();
      const config = rt.corp(ctx.corp);
      // Its own client (closed with the runtime): a person waits, so retries are short.
      const client = await rt.client(config.corpId!, { retryPolicy: 'interactive' });
      // gettoken takes the corp and a secret rather than a token: fill them in from the config.
      const isGettoken = name === 'token.get';
      if (isGettoken) fillGettoken(params, config.corpId, config.secrets, credential);
      // A stopped sandbox is explained by action() for every command (cli/context.ts).
      printJson(redactValue(await client.callRaw(name, params, isGettoken ? {} : { credential })));
    }));
}

function fillGettoken(
  params: Record<string, unknown>, corpId: string | undefined, secrets: Partial<Record<CredentialKind, string>>, forced?: CredentialKind,
): void {
  if (params.corpsecret === undefined) {
    const kind = forced ?? CREDENTIAL_KINDS.find((k) => secrets[k]);
    if (!kind || !secrets[kind]) throw new WecomMissingCredentialError('token.get', forced ? [forced] : CREDENTIAL_KINDS);
    params.corpsecret = secrets[kind];
  }
  params.corpid ??= corpId;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function parseParams(pairs: string[]): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const pair of pairs) {
    const match = /^([^=:]+)(:?=)([\s\S]*)$/.exec(pair);
    if (!match) throw badInput({ zh: '参数格式应为 key=value 或 key:=JSON：{input}', en: 'A parameter must be key=value or key:=JSON: {input}' }, pair);
    const [, key, op, value] = match;
    params[key] = op === ':=' ? jsonValue(value, pair) : value;
  }
  return params;
}

export function parseBody(body: string | undefined): Record<string, unknown> {
  if (body === undefined) return {};
  const value = jsonValue(body, body);
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw badInput({ zh: '--body 必须是一个 JSON 对象：{input}', en: '--body must be a JSON object: {input}' }, body);
  }
  return value as Record<string, unknown>;
}

function jsonValue(text: string, input: string): unknown {
  try {
    // bigint-safe: a 64-bit seq or id typed on the command line reaches WeCom with every digit.
    return parseJson(text);
  } catch {
    throw badInput({ zh: '不是有效的 JSON：{input}', en: 'Not valid JSON: {input}' }, input);
  }
}

function parseCredential(kind: string | undefined): CredentialKind | undefined {
  if (kind === undefined) return undefined;
  if ((CREDENTIAL_KINDS as readonly string[]).includes(kind)) return kind as CredentialKind;
  throw new UserError('call_bad_credential', {
    what: { zh: '未知的凭证类型：{kind}', en: 'Unknown credential kind: {kind}' },
    fix: { zh: '可选：{kinds}', en: 'Choose one of: {kinds}' },
    vars: { kind, kinds: CREDENTIAL_KINDS.join(', ') },
  });
}

function unknownEndpoint(input: string): UserError {
  const word = input.toLowerCase().replace(/^.*[./]/, '').replace(/_/g, '');
  const near = word.length < 3 ? [] : endpointNames.filter((name) => name.toLowerCase().includes(word)).slice(0, 5);
  return new UserError('call_unknown_endpoint', {
    what: { zh: '目录中没有接口 {input}', en: 'No endpoint {input} in the catalogue' },
    why: near.length ? { zh: '相近的接口：{near}', en: 'Similar endpoints: {near}' } : undefined,
    fix: { zh: '运行 `wecom-archive call --help` 查看全部接口', en: 'Run `wecom-archive call --help` for the full list' },
    vars: { input, near: near.join(', ') },
  });
}

function badInput(what: { zh: string; en: string }, input: string): UserError {
  return new UserError('call_bad_input', {
    what,
    fix: { zh: '示例：--param userid=zhangsan --param limit:=100 --body \'{"cursor":""}\'', en: 'Example: --param userid=zhangsan --param limit:=100 --body \'{"cursor":""}\'' },
    vars: { input: input.slice(0, 200) },
  });
}

/** The catalogue after the options; its title in the help's language (src/cli/help-text.ts). */
function endpointList({ command }: { command: Command }): string {
  const rows = endpointNames.map((name) => `  ${name.padEnd(44)} ${endpoints[name].method.padEnd(4)} ${endpoints[name].path}`);
  return `\n${command.createHelp().styleTitle('Endpoints:')}\n${rows.join('\n')}\n`;
}
