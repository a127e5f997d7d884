import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { t, type Lang, type Text } from '../i18n/index.ts';
import { isUserError, type UserError } from '../util/errors.ts';
import { redactText } from '../util/redact.ts';

/**
 * Errors as RFC 9457 problem details (`application/problem+json`), in the language the client asks
 * for (Accept-Language: Chinese unless English is preferred). A UserError keeps its what / why / fix;
 * anything else is a 500 with a generic text (the error itself goes to the log, redacted). Never a
 * stack trace.
 */

export const PROBLEM_TYPE = 'application/problem+json; charset=utf-8';

export const problemSchema = z.object({
  type: z.string().describe('A URI naming the kind of problem: urn:wecom-archive:problem:<code>'),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string().describe('Stable, for programs (the CLI shows the same code)'),
  why: z.string().optional(),
  fix: z.string().optional(),
  instance: z.string().optional().describe('The request path'),
  /** Validation failures: each field and what is wrong with it. */
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
}).meta({ id: 'Problem' });
export type Problem = z.infer<typeof problemSchema>;

/** The responses every authenticated route can give besides its own, for the OpenAPI document. */
export const PROBLEM_RESPONSES = {
  400: problemSchema.describe('The request is invalid (the field is named)'),
  401: problemSchema.describe('No valid API token (send Authorization: Bearer <token>) or session'),
  403: problemSchema.describe('Outside the caller\'s role or scope (never says whether it exists), or a session\'s CSRF token missing'),
  404: problemSchema.describe('Not found'),
  428: problemSchema.describe('Message content needs a stated purpose: X-Access-Purpose (URL-encoded), or the session\'s'),
  429: problemSchema.describe('Too many failed logins: locked for a while'),
  500: problemSchema.describe('Internal error (logged; no detail is given)'),
} as const;

const TITLES: Record<number, Text> = {
  400: { zh: '请求无效', en: 'Bad request' },
  401: { zh: '未认证', en: 'Unauthorized' },
  403: { zh: '无权访问', en: 'Forbidden' },
  404: { zh: '未找到', en: 'Not found' },
  405: { zh: '方法不允许', en: 'Method not allowed' },
  409: { zh: '冲突', en: 'Conflict' },
  428: { zh: '需要说明目的', en: 'Purpose required' },
  429: { zh: '请求过多', en: 'Too many requests' },
  413: { zh: '请求体过大', en: 'Payload too large' },
  415: { zh: '不支持的内容类型', en: 'Unsupported media type' },
  500: { zh: '内部错误', en: 'Internal server error' },
  503: { zh: '服务暂不可用', en: 'Service unavailable' },
};

/** UserError codes that are not a bad request (every other code is a 400: the input was wrong). */
const STATUS_OF_CODE: Record<string, number> = {
  config_unknown_corp: 404,
  archive_no_conversation: 404,
  archive_no_message: 404,
  not_found: 404,
  media_not_stored: 404,
  store_empty: 503,
  forbidden: 403,
  purpose_required: 428,
  auth_failed: 401,
  auth_no_session: 401,
  auth_locked: 429,
  store_unreachable: 503,
};

/** The client's language: English when it prefers English to Chinese, else Chinese. */
export function requestLang(request: Pick<FastifyRequest, 'headers'>): Lang {
  const header = request.headers['accept-language'];
  if (!header) return 'zh';
  let zh = 0;
  let en = 0;
  for (const part of String(header).split(',')) {
    const [range, ...params] = part.trim().toLowerCase().split(';');
    const q = Number(params.map((p) => p.trim()).find((p) => p.startsWith('q='))?.slice(2) ?? 1);
    const weight = Number.isFinite(q) ? q : 0;
    if (range === 'en' || range?.startsWith('en-')) en = Math.max(en, weight);
    else if (range === 'zh' || range?.startsWith('zh-')) zh = Math.max(zh, weight);
  }
  return en > zh ? 'en' : 'zh';
}

export function problem(status: number, code: string, lang: Lang, parts: { detail: string; why?: string; fix?: string; instance?: string; errors?: Problem['errors'] }): Problem {
  return {
    type: `urn:wecom-archive:problem:${code}`,
    title: t(TITLES[status] ?? TITLES[status >= 500 ? 500 : 400]!, lang),
    status,
    code,
    ...parts,
  };
}

export function userErrorProblem(err: UserError, lang: Lang, instance?: string): Problem {
  const { what, why, fix } = err.describe(lang);
  const status = STATUS_OF_CODE[err.code] ?? (/_not_found$|_unknown$/.test(err.code) ? 404 : 400);
  return problem(status, err.code, lang, { detail: what, why, fix, instance });
}

export function sendProblem(reply: FastifyReply, body: Problem, headers: Record<string, string> = {}): FastifyReply {
  // Serialised here: the route's response schemas describe its successes, not this body.
  return reply.code(body.status).headers(headers).type(PROBLEM_TYPE).send(JSON.stringify(body));
}

const TEXT = {
  invalid: { zh: '请求参数无效：{fields}', en: 'Invalid request: {fields}' },
  invalidFix: { zh: '按 /api/v1/openapi.json 中该接口的参数说明修改请求', en: 'Fix the request as the operation\'s parameters in /api/v1/openapi.json describe' },
  internal: { zh: '服务器内部错误，已记录在日志中', en: 'An internal error occurred; it has been logged' },
  notFound: { zh: '没有这个地址：{method} {path}', en: 'No such route: {method} {path}' },
  client: { zh: '请求无法处理：{message}', en: 'The request could not be handled: {message}' },
} satisfies Record<string, Text>;

interface ValidationIssue { instancePath?: string; message?: string; params?: { issue?: { path?: PropertyKey[] } } }

/** The error handler: validation → 400 naming the fields, UserError → its problem, client errors → theirs, the rest → 500. */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const lang = requestLang(request);
  const instance = pathOf(request.url);
  if (error.validation) {
    const where = error.validationContext ?? 'querystring';
    const errors = (error.validation as ValidationIssue[]).map((issue) => ({
      field: fieldOf(where, issue), message: redactText(issue.message ?? 'invalid'),
    }));
    const fields = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
    return sendProblem(reply, problem(400, 'request_invalid', lang, { detail: t(TEXT.invalid, lang, { fields }), fix: t(TEXT.invalidFix, lang), instance, errors }));
  }
  if (isUserError(error)) return sendProblem(reply, userErrorProblem(error, lang, instance));
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const code = error.code ? error.code.toLowerCase() : 'request_failed';
    return sendProblem(reply, problem(status, code, lang, { detail: t(TEXT.client, lang, { message: redactText(error.message) }), instance }));
  }
  request.log.error({ err: error }, 'request failed');
  return sendProblem(reply, problem(500, 'internal_error', lang, { detail: t(TEXT.internal, lang), instance }));
}

export function handleNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const lang = requestLang(request);
  const path = pathOf(request.url);
  return sendProblem(reply, problem(404, 'route_not_found', lang, { detail: t(TEXT.notFound, lang, { method: request.method, path: redactText(path) }), instance: path }));
}

/** `corp` or `limit`: the field a validation issue concerns, as the client wrote it. */
function fieldOf(where: string, issue: ValidationIssue): string {
  const path = issue.params?.issue?.path?.map(String).join('.') ?? issue.instancePath?.replace(/^\//, '').replaceAll('/', '.');
  return path || where;
}

/** The path alone: a query string may carry secrets. */
function pathOf(url: string): string {
  return url.split('?')[0] ?? url;
}
