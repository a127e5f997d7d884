import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { expect } from 'vitest';
import type { JobLog } from '../../src/jobs/log.ts';
import { openRuntime, type Runtime } from '../../src/services/runtime.ts';
import { TEST_DATABASE_URL } from '../helpers/databases.ts';

/** The background jobs' tests: what they log, a runtime over a config file, waiting on a condition. */

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields: Record<string, unknown>;
  /** Which process (test worker) said it. */
  who: string;
}

/** A log that keeps every line (shared by several workers of one test, in the order said). */
export function collectingLog(entries: LogEntry[], who: string): JobLog {
  const at = (level: LogEntry['level']) => (fields: object, message = '') => void entries.push({ level, message, fields: fields as Record<string, unknown>, who });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export function runtimeFor(configFile: string, env: Record<string, string> = {}): Promise<Runtime> {
  return openRuntime({ configPaths: [configFile], env: { ...env } });
}

/** Waits for a condition; the bound is a safety net for a loaded machine, not a timing claim. */
export async function waitUntil(check: () => boolean | Promise<boolean>, what: string, boundMs = 120_000): Promise<void> {
  const end = Date.now() + boundMs;
  while (!(await check())) {
    if (Date.now() > end) expect.fail(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A pg-boss schema for one test, dropped afterwards (several test files share the database). */
export function bossSchema(): { name: string; drop(): Promise<void> } {
  const name = `wa_boss_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  return {
    name,
    drop: async () => {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      try {
        await client.query(`drop schema if exists ${name} cascade`);
      } finally {
        await client.end();
      }
    },
  };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A job's start and end lines, per queue: [who, 'start' | 'end'] in the order said. */
export function jobEvents(entries: LogEntry[], queue: string): Array<[string, 'start' | 'end']> {
  return entries.filter((e) => e.fields.queue === queue && (e.message === 'job started' || e.message === 'job ended'))
    .map((e) => [e.who, e.message === 'job started' ? 'start' : 'end']);
}

/** True when no two jobs of the events overlapped (each start followed by its end before the next start). */
export function neverOverlapped(events: Array<[string, 'start' | 'end']>): boolean {
  let running = 0;
  for (const [, kind] of events) {
    running += kind === 'start' ? 1 : -1;
    if (running > 1 || running < 0) return false;
  }
  return true;
}
