import { endpoints, type CursorPage, type EndpointName } from '../../wecom/endpoints.ts';
import { STREAM, hash32, hashString } from '../random.ts';
import { ApiError, invalid, missing } from './api-error.ts';

/**
 * Parameter checks with WeCom's answers: a missing or malformed value is 40058. GET parameters
 * arrive as strings, POST ones as JSON values; the readers accept both where WeCom does.
 */
export type Params = Record<string, unknown>;

export function str(params: Params, name: string, opts: { required?: boolean; max?: number } = {}): string | undefined {
  const value = params[name];
  if (value === undefined || value === null || value === '') {
    if (opts.required) throw missing(name);
    return undefined;
  }
  if (typeof value !== 'string') throw invalid(name, 'expected a string');
  if (opts.max !== undefined && value.length > opts.max) throw invalid(name, `longer than ${opts.max} characters`);
  return value;
}

export function requireStr(params: Params, name: string, max?: number): string {
  return str(params, name, { required: true, max })!;
}

export function int(params: Params, name: string, opts: { required?: boolean; min?: number; max?: number } = {}): number | undefined {
  const raw = params[name];
  if (raw === undefined || raw === null || raw === '') {
    if (opts.required) throw missing(name);
    return undefined;
  }
  const value = typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw invalid(name, 'expected an integer');
  if (opts.min !== undefined && value < opts.min) throw invalid(name, `must be at least ${opts.min}`);
  if (opts.max !== undefined && value > opts.max) throw invalid(name, `must be at most ${opts.max}`);
  return value;
}

export function bool(params: Params, name: string): boolean | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 0 || value === 1) return value === 1;
  throw invalid(name, 'expected a boolean');
}

/** A string array; over `max` items is `overMaxErrcode` (40058 unless WeCom has a specific code). */
export function strList(params: Params, name: string, opts: { required?: boolean; max?: number; overMaxErrcode?: number } = {}): string[] {
  const value = params[name];
  if (value === undefined || value === null) {
    if (opts.required) throw missing(name);
    return [];
  }
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw invalid(name, 'expected an array of strings');
  if (opts.required && value.length === 0) throw missing(name);
  if (opts.max !== undefined && value.length > opts.max) {
    throw new ApiError(opts.overMaxErrcode ?? 40058, `${name} has more than ${opts.max} items`);
  }
  return value as string[];
}

/**
 * The page size, per the endpoint's catalogue entry: required where WeCom requires it, defaulted
 * otherwise; above the maximum it is clamped where WeCom documents clamping (batch/get_by_user),
 * else refused.
 */
export function pageLimit(name: EndpointName, params: Params, overMax: 'clamp' | 'reject' = 'reject'): number {
  const page = (endpoints[name] as { page?: CursorPage }).page;
  if (!page?.limitParam) throw new Error(`${name} has no page limit in the catalogue`);
  const min = page.minLimit ?? 1;
  const max = page.maxLimit ?? Number.MAX_SAFE_INTEGER;
  const given = int(params, page.limitParam, { required: page.limitRequired });
  // 0 means "not given" for WeCom's optional limits.
  if (given === undefined || (given === 0 && !page.limitRequired)) return page.defaultLimit ?? max;
  if (given < min) throw invalid(page.limitParam, `must be ${min}–${max}`);
  if (given > max) {
    if (overMax === 'clamp') return max;
    throw invalid(page.limitParam, `must be ${min}–${max}`);
  }
  return given;
}

/**
 * Opaque cursors: a position, bound to the request it continues (a different userid_list with an
 * old cursor is refused rather than silently skipping data), with a check value against tampering.
 */
export function encodeCursor(seed: number, kind: string, binding: string, position: number[]): string {
  const body = `${kind}.${hashString(binding).toString(36)}.${position.join('-')}`;
  const check = hash32(seed, STREAM.cursor, hashString(body)).toString(36);
  return Buffer.from(`${body}.${check}`).toString('base64url');
}

export function decodeCursor(seed: number, kind: string, binding: string, cursor: string | undefined, parts: number): number[] | undefined {
  if (!cursor) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString();
  const pieces = text.split('.');
  const [k, bound, position, check] = pieces;
  const body = `${k}.${bound}.${position}`;
  const valid = pieces.length === 4 && k === kind && bound === hashString(binding).toString(36)
    && check === hash32(seed, STREAM.cursor, hashString(body)).toString(36);
  const numbers = valid ? position.split('-').map(Number) : [];
  if (!valid || numbers.length !== parts || numbers.some((n) => !Number.isInteger(n) || n < 0)) throw invalid('cursor', 'invalid or stale cursor');
  return numbers;
}
