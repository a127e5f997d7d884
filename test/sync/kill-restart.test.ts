import { spawn } from 'node:child_process';
import { afterEach, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.ts';
import { openStore } from '../../src/store/open.ts';
import { syncStateRepository } from '../../src/store/sync-state.repository.ts';
import type { KillPoint } from '../../src/util/kill-points.ts';
import { mapLimit } from '../../src/util/parallel.ts';
import { BIN, cleanEnv } from '../helpers/cli.ts';
import { createTestDatabase, describeStores } from '../helpers/databases.ts';
import { canonicalDump, startTestSandbox, syncWith, writeConfig } from './helpers.ts';

/**
 * Crash safety for real: the CLI runs as a child process and is SIGKILLed, either by itself at a
 * named point inside the sync (WECOM_ARCHIVE_KILL_AT) or by this test at a random moment; then it is
 * restarted, until a run completes. Every table must then hold exactly what an uninterrupted run
 * writes. Small commits (--rows-per-commit) give every listing several checkpoints to resume from.
 */

const ROWS_PER_COMMIT = 40;

type Kill = `${KillPoint}:${number}` | 'random';
interface Scenario {
  name: string;
  /** One entry per killed attempt, in order; then runs go on until one completes. */
  kills: Kill[];
}

const SCENARIOS: Scenario[] = [
  { name: 'after a page came back', kills: ['page.fetched:12'] },
  { name: 'inside a page transaction', kills: ['page.written:6'] },
  { name: 'after a checkpoint committed', kills: ['page.committed:5'] },
  { name: 'inside the transaction that closes a listing', kills: ['listing.swept:3'] },
  { name: 'twice: after a checkpoint, then the resumed run after a unit', kills: ['page.committed:2', 'unit.done:3'] },
  { name: 'at random moments', kills: ['random', 'random'] },
];

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

/** A deterministic sequence for the random kill delays, so a failure can be replayed. */
function delays(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % 400;
  };
}

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
}

/** `sync all --json` as a child process; `random` kills it a little after its first progress line. */
function runSync(config: string, kill: Kill | undefined, delay: () => number): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const env = { ...cleanEnv(), ...(kill && kill !== 'random' ? { WECOM_ARCHIVE_KILL_AT: kill } : {}) };
    const child = spawn(process.execPath, [BIN, 'sync', 'all', '--json', '--config', config, '--rows-per-commit', String(ROWS_PER_COMMIT)], { env });
    let stdout = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.once('data', () => {
      if (kill === 'random') setTimeout(() => child.kill('SIGKILL'), delay());
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout }));
  });
}

describeStores('kill -9 and restart', (getStore, dialect) => {
  it('ends with exactly the data of an uninterrupted run, wherever the process is killed', async () => {
    sandbox = await startTestSandbox();
    const { corpId } = sandbox;
    const reference = getStore();
    expect((await syncWith(reference, sandbox)).status).toBe('succeeded');
    const expected = await canonicalDump(reference.db, corpId);

    await mapLimit(SCENARIOS, 3, async (scenario, index) => {
      const database = await createTestDatabase(dialect);
      try {
        const config = writeConfig(database.dataDir, sandbox!, database);
        const delay = delays(index + 1);
        for (const kill of scenario.kills) {
          const killed = await runSync(config, kill, delay);
          // A named point must be reached (else the scenario tests nothing); a random kill may come late.
          if (kill !== 'random') expect({ scenario: scenario.name, signal: killed.signal }).toEqual({ scenario: scenario.name, signal: 'SIGKILL' });
        }
        const final = await runSync(config, undefined, delay);
        expect({ scenario: scenario.name, code: final.code }).toEqual({ scenario: scenario.name, code: 0 });
        const [summary] = (JSON.parse(final.stdout) as { corps: Array<{ run: { resumed: string[] } }> }).corps;
        if (scenario.kills.some((k) => /^(page\.committed|unit\.done)/.test(k))) expect(summary!.run.resumed.length, scenario.name).toBeGreaterThan(0);

        const store = await openStore({ dataDir: database.dataDir, databaseUrl: database.databaseUrl });
        try {
          expect(await canonicalDump(store.db, corpId), scenario.name).toEqual(expected);
          expect(await syncStateRepository.listCursors(store.db, corpId), scenario.name).toEqual([]);
          const runs = await syncStateRepository.listRuns(store.db, corpId);
          expect(runs[0]!.status, scenario.name).toBe('succeeded');
          // Killed runs are closed as interrupted by the run that took over their work.
          for (const run of runs.filter((r) => r.status !== 'succeeded')) {
            expect({ status: run.status, codes: run.errors.map((e) => e.code) }, scenario.name).toEqual({ status: 'failed', codes: ['interrupted'] });
          }
        } finally {
          await store.close();
        }
      } finally {
        await database.drop();
      }
    });
  }, 300_000);
});
