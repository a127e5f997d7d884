import { deepVerify } from '../../archive/chain/deep-verify.ts';
import { saveLastVerify } from '../../archive/chain/last-verify.ts';
import { verifyChain } from '../../archive/chain/verify.ts';
import { openDecryptPool } from '../../archive/ingest/session.ts';
import { archiveCorps } from '../../archive/status/status.ts';
import type { Store } from '../../store/database.ts';
import type { Runtime } from '../runtime.ts';
import type { ArchiveVerifyReport, VerifyEntry } from '../types/archive.ts';
import { eachCorp } from './per-corp.ts';
import { langOf, type ArchiveRunInput, type SessionReporter } from './session.ts';
import { requireCapability } from '../access.ts';

/**
 * `archive verify`: recomputes each corp's hash chain from the stored envelopes (no SDK, no keys:
 * the chain covers the envelopes). `deep` also decrypts every decrypted message again through a pool
 * of the corp's own (keys and SDK needed, no lease: this only reads, beside a running puller) and
 * compares the stored columns. Without `corpId`: every configured corp and every corp the store
 * holds (an archive whose config is gone is still checked); `deep` needs each corp's config.
 */

export interface VerifyInput extends Omit<ArchiveRunInput, 'signal'> {
  deep?: boolean;
}

export interface VerifyReporter extends SessionReporter {
  /** Deep check progress: messages done out of the corp's total. */
  onDeepProgress?(corpId: string, progress: { done: number; total: number }): void;
}

export async function verifyArchives(rt: Runtime, input: VerifyInput = {}, reporter: VerifyReporter = {}): Promise<ArchiveVerifyReport> {
  requireCapability(rt, 'operations');
  const configured = rt.corps(input.corpId).map((config) => config.corpId!);
  const store = await rt.readStore();
  const corpIds = input.corpId !== undefined || input.deep ? configured : [...new Set([...configured, ...(await archiveCorps(store.db))])].sort();
  const report = await eachCorp<VerifyEntry>(corpIds, langOf(rt, input), (corpId) => verifyCorp(rt, store, corpId, input, reporter));
  // A chain that verifies but messages that decrypt to something else, or could not be decrypted again: not ok.
  return { ...report, ok: report.corps.every((c) => c.ok && (c.error !== undefined || c.deep === undefined || c.deep.ok)) };
}

async function verifyCorp(rt: Runtime, store: Store, corpId: string, input: VerifyInput, reporter: VerifyReporter): Promise<VerifyEntry> {
  const entry = await checkCorp(rt, store, corpId, input, reporter);
  // Kept for `archive status` and the health page; a read-only copy (a backup being checked) keeps
  // nothing. The result is the answer: a record that cannot be written (a busy or full store) does
  // not turn a verify that may have taken minutes into a failure.
  if (!store.readOnly) {
    await saveLastVerify(store.db, corpId, {
      at: Date.now(), ok: entry.ok && (entry.deep?.ok ?? true), checked: entry.checked,
      brokenAtSeq: entry.firstBreak ? entry.firstBreak.seq.toString() : null, deepOk: entry.deep ? entry.deep.ok : null,
    }).catch(() => undefined);
  }
  return entry;
}

async function checkCorp(rt: Runtime, store: Store, corpId: string, input: VerifyInput, reporter: VerifyReporter): Promise<VerifyEntry> {
  const { corpId: _, ...chain } = await verifyChain(store.db, corpId);
  if (!input.deep) return chain;
  const { pool, warnings } = await openDecryptPool(rt.corp(corpId), input.session);
  for (const warning of warnings) reporter.onWarning?.(corpId, warning);
  try {
    const deep = await deepVerify(store.db, corpId, pool, { onPage: (progress) => reporter.onDeepProgress?.(corpId, progress) });
    // A broken chain fails the deep check too: what was decrypted again came from untrusted envelopes.
    return { ...chain, deep: { ...deep, ok: deep.ok && chain.ok } };
  } finally {
    await pool.close();
  }
}
