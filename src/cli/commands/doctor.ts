import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { action } from '../context.ts';
import { printJson } from '../output.ts';

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check every credential, permission, trusted IP and the proxy, with the cause and fix of each failure')
    .action(action(async (ctx) => {
      const config = await loadConfig({ configFile: ctx.configFile, strict: false });
      const [{ coverageDoctorChecks }, { archiveDoctorChecks }, { runDoctor }, { reportJson, reportText }] = await Promise.all([
        import('../../archive/coverage/index.ts'), import('../../archive/doctor-checks.ts'), import('../../doctor/doctor.ts'), import('../../doctor/report.ts'),
      ]);
      const report = await runDoctor(config, { extraChecks: [archiveDoctorChecks(), coverageDoctorChecks()] });
      if (ctx.json) printJson(reportJson(report, ctx.lang));
      else process.stdout.write(`${reportText(report, ctx.lang)}\n`);
      return report.ok ? 0 : 1;
    }));
}
