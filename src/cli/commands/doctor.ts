import type { Command } from 'commander';
import { action } from '../context.ts';
import { printJson } from '../output.ts';

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check every credential, permission, trusted IP and the proxy, with the cause and fix of each failure')
    .option('--store', 'check only the store: SQLite quick_check (or PostgreSQL reachability and schema), free space, the hash chain, the last backup')
    .action(action(async (ctx, flags: { store?: boolean }) => {
      // Not strict: a config with errors is what doctor is there to report.
      const rt = await ctx.runtime({ strict: false, reportsProblems: true });
      const [{ runDoctorChecks }, { formatDoctor }] = await Promise.all([import('../../services/doctor.ts'), import('../../doctor/report.ts')]);
      const result = await runDoctorChecks(rt, { corpId: ctx.corp, lang: ctx.lang, store: flags.store });
      if (ctx.json) printJson(result);
      else process.stdout.write(`${formatDoctor(result, ctx.lang)}\n`);
      return result.ok ? 0 : 1;
    }));
}
