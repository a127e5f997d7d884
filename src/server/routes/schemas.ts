import { z } from 'zod';
import { PROBLEM_RESPONSES } from '../problem.ts';

/** Query parameters shared by the routes, each validated (a 400 names the field) and documented once. */

export const corpParam = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional()
  .describe('Only this corp (like --corp); default: every configured corp');
export const searchParam = z.string().min(1).max(200).optional().describe('Text in the name or id');
export const includeDeletedParam = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1').optional()
  .describe('Also rows deleted in WeCom');
/** The services cap a page at 10,000 rows; the API lists 500 unless asked. */
export const limitParam = (fallback: number) => z.coerce.number().int().min(1).max(10_000).default(fallback)
  .describe(`At most this many rows (1–10000, default ${fallback}); truncated says whether rows were left out`);
export const departmentParam = z.coerce.number().int().min(1).optional().describe('This department and those below it');
export const timeParam = (what: string) => z.string().min(4).max(40).optional().describe(`${what}, China time: 2026-11-20 or 2026-11-20 14:00`);
export const idParams = z.object({ id: z.string().min(1).max(300) });

/**
 * A success: the service's shape (the CLI's --json output, typed in src/services/types). Checked
 * here only for `ok`, every other field passing through; typed so that any result with `ok` fits.
 */
export const serviceResult = (description: string) => z.looseObject({ ok: z.boolean() }).describe(description) as unknown as z.ZodType<{ ok: boolean }>;

/** The responses of an authenticated route: its success and the problems. */
export function responses(description: string) {
  return { 200: serviceResult(description), ...PROBLEM_RESPONSES };
}
