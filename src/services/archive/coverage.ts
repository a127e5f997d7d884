import { coverageReport, refreshCoverage, type RefreshOutcome } from '../../archive/coverage/index.ts';
import { UserError } from '../../util/errors.ts';
import type { Runtime } from '../runtime.ts';
import type { ArchiveCoverageReport } from '../types/archive.ts';
import { requireCapability } from '../access.ts';

/**
 * `archive coverage`: asks WeCom who is archived, which customers agree, what the archive's groups
 * and robots are called (unless `refresh` is false), stores it, and reports it against the synced
 * directory. One corp: `corpId`, or the only one configured. `ok` is false when a part could not be
 * refreshed (the others still were).
 */

export interface CoverageInput {
  corpId?: string;
  /** Ask WeCom first (default true); false shows what the last refresh stored. */
  refresh?: boolean;
  /** Look up every name and re-read every consent message again. */
  full?: boolean;
  /** Every refusing customer and unnamed room (default: the newest 200 of each). */
  all?: boolean;
}

export interface CoverageReporter {
  /** The refresh is about to call WeCom (it takes a while). */
  onRefresh?(corpId: string): void;
}

export async function archiveCoverage(rt: Runtime, input: CoverageInput = {}, reporter: CoverageReporter = {}): Promise<ArchiveCoverageReport> {
  requireCapability(rt, 'operations');
  const config = rt.corp(input.corpId);
  const corpId = config.corpId!;
  const refreshing = input.refresh !== false;
  if (refreshing && !config.secrets.archive) throw noSecret();
  const store = refreshing ? await rt.store() : await rt.readStore();
  let refresh: RefreshOutcome | null = null;
  if (refreshing) {
    reporter.onRefresh?.(corpId);
    refresh = await refreshCoverage({ db: store.db, corpId, client: await rt.client(corpId), full: input.full });
  }
  const coverage = await coverageReport(store.db, corpId, input.all ? Number.MAX_SAFE_INTEGER : undefined);
  return { ok: !refresh || Object.values(refresh).every((part) => part.ok), corpId, refresh, coverage };
}

function noSecret(): UserError {
  return new UserError('archive_coverage_no_secret', {
    what: { zh: '未配置 CHAT_ARCHIVE_SECRET，无法查询存档范围和客户同意情况', en: 'CHAT_ARCHIVE_SECRET is not set: the archive scope and consent cannot be queried' },
    fix: { zh: '在 管理工具 → 会话内容存档 复制 Secret 填到 CHAT_ARCHIVE_SECRET；或加 --no-refresh 只看已存的结果', en: 'Copy the Secret from Management Tools → Chat Archive into CHAT_ARCHIVE_SECRET, or add --no-refresh to show what is stored' },
  });
}
