/**
 * The shapes the services return: what the CLI prints with `--json` and what the REST API answers.
 * Declared once, one file per capability, re-exported here.
 *
 * Conventions (docs/CONVENTIONS.md, "JSON shapes"): every result is one object `{ ok: true, … }`
 * with camelCase keys; a list is a named array (`employees`, `hits`) with `truncated` saying whether
 * rows were left out; every row that belongs to a corp carries `corpId`; times are epoch
 * milliseconds (`…At`, `time`) with a China-time text beside them where people read them.
 */
export {};
export type * from './archive.ts';
export type * from './sync.ts';
export type * from './corps.ts';
export type * from './directory.ts';
export type * from './reading.ts';
export type * from './doctor.ts';
export type * from './config.ts';
export type * from './tokens.ts';
export type * from './health.ts';
export type * from './events.ts';
export type * from './auth.ts';
