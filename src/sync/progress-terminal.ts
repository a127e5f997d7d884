import cliProgress from 'cli-progress';
import { t, type Lang, type Text } from '../i18n/index.ts';
import { SCOPE_LABELS } from './labels.ts';
import type { SyncProgress, SyncScope, TaskOutcome } from './progress.ts';

/**
 * Progress of a sync on stderr (stdout stays for the summary): bars on a terminal, plain lines
 * otherwise (logs, pipes, cron), at most one line per task every few seconds.
 */

const OUTCOME: Record<TaskOutcome, Text> = {
  done: { zh: '完成', en: 'done' },
  failed: { zh: '失败', en: 'failed' },
  interrupted: { zh: '已中断', en: 'interrupted' },
};
const LINE_INTERVAL_MS = 5_000;

export interface TerminalProgress extends SyncProgress {
  /** Removes the bars' cursor handling; call once the run is over. */
  stop(): void;
}

export function terminalProgress(lang: Lang, stream: NodeJS.WriteStream = process.stderr): TerminalProgress {
  return stream.isTTY ? barProgress(lang, stream) : lineProgress(lang, stream);
}

function barProgress(lang: Lang, stream: NodeJS.WriteStream): TerminalProgress {
  const multi = new cliProgress.MultiBar({
    stream, format: '{task} |{bar}| {value}/{total} {state}', hideCursor: true, clearOnComplete: false, autopadding: true,
  }, cliProgress.Presets.shades_classic);
  const bars = new Map<SyncScope, { bar: cliProgress.SingleBar; total: number }>();
  const barOf = (task: SyncScope) => {
    let entry = bars.get(task);
    if (!entry) {
      entry = { bar: multi.create(0, 0, { task: t(SCOPE_LABELS[task], lang).padEnd(10), state: '' }), total: 0 };
      bars.set(task, entry);
    }
    return entry;
  };
  return {
    expect(task, count) {
      const entry = barOf(task);
      entry.total += count;
      entry.bar.setTotal(entry.total);
    },
    advance: (task, by = 1) => barOf(task).bar.increment(by),
    done(task, outcome) {
      const entry = barOf(task);
      const state = { state: t(OUTCOME[outcome], lang) };
      if (outcome === 'done') entry.bar.update(entry.total, state);
      else entry.bar.update(state);
    },
    stop: () => multi.stop(),
  };
}

function lineProgress(lang: Lang, stream: NodeJS.WriteStream): TerminalProgress {
  const state = new Map<SyncScope, { value: number; total: number; printedAt: number }>();
  const of = (task: SyncScope) => {
    let entry = state.get(task);
    if (!entry) state.set(task, (entry = { value: 0, total: 0, printedAt: 0 }));
    return entry;
  };
  const print = (task: SyncScope, suffix = '') => {
    const entry = of(task);
    entry.printedAt = Date.now();
    stream.write(`${t(SCOPE_LABELS[task], lang)}: ${entry.value}/${entry.total}${suffix}\n`);
  };
  return {
    expect: (task, count) => void (of(task).total += count),
    advance(task, by = 1) {
      const entry = of(task);
      entry.value += by;
      if (Date.now() - entry.printedAt >= LINE_INTERVAL_MS) print(task);
    },
    done: (task, outcome) => print(task, ` ${t(OUTCOME[outcome], lang)}`),
    stop: () => {},
  };
}
