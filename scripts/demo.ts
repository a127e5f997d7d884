/**
 * `npm run demo`: the whole product against a local WeCom, with no credentials. Starts the sandbox
 * (a generated company with its chat archive), writes a config for it under ./demo, and runs the real
 * CLI against it step by step, on the embedded SQLite store, so a newcomer sees what each command does.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { archiveExtension } from '../src/sandbox/archive/index.ts';
import { startSandbox } from '../src/sandbox/index.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const demoDir = resolve(root, 'demo');
const bin = resolve(root, 'bin/wecom-archive');

rmSync(demoDir, { recursive: true, force: true });
mkdirSync(demoDir, { recursive: true });
// A smaller archive than the sandbox's default, so the demo (media included) takes about a minute.
const sandbox = await startSandbox({ seed: 7, size: 'small', port: 0, extensions: [archiveExtension({ messages: 1200 })] });
const configFile = resolve(demoDir, 'wecom.env');
await sandbox.writeConfig(configFile);
process.stdout.write(`\n▶ sandbox WeCom at ${sandbox.url}; config written to ${configFile}; data in ${demoDir}/data\n`);

const steps: Array<{ title: string; args: string[] }> = [
  { title: 'Check the set-up', args: ['doctor'] },
  { title: 'Call an endpoint by hand', args: ['call', 'department/list'] },
  { title: 'Sync the directory, customers and groups', args: ['sync'] },
  { title: 'Look up employees', args: ['employees', '--limit', '5'] },
  { title: 'Look up customers of the sales department', args: ['customers', '--department', '2', '--limit', '5'] },
  { title: 'Pull the chat archive (and its media)', args: ['archive', 'pull'] },
  { title: 'Check the hash chain', args: ['archive', 'verify'] },
  { title: 'Who is archived, who consented', args: ['archive', 'coverage'] },
  { title: 'Archive status', args: ['archive', 'status'] },
  { title: 'Search messages (Chinese full text)', args: ['search', '报价单', '--limit', '5'] },
  { title: 'List conversations', args: ['conversations', '--limit', '5'] },
];

let failed = 0;
for (const step of steps) {
  process.stdout.write(`\n▶ ${step.title}: wecom-archive ${step.args.join(' ')}\n`);
  if ((await run(step.args)).code !== 0) failed += 1;
}
const listed = await run(['conversations', '--limit', '1', '--json'], true);
const id = (JSON.parse(listed.stdout || '{}') as { conversations?: Array<{ id: string }> }).conversations?.[0]?.id;
if (id) {
  process.stdout.write(`\n▶ Read one conversation: wecom-archive conversation ${id} --limit 15\n`);
  if ((await run(['conversation', id, '--limit', '15'])).code !== 0) failed += 1;
}
const coverage = await run(['archive', 'coverage', '--no-refresh', '--json'], true);
const refusing = (JSON.parse(coverage.stdout || '{}') as { coverage?: { consent: { refusing: Array<{ customer: { id: string } }> } } })
  .coverage?.consent.refusing[0]?.customer.id;
if (refusing) {
  process.stdout.write(`\n▶ A customer who refuses archiving, with their consent history: wecom-archive customers ${refusing}\n`);
  if ((await run(['customers', refusing])).code !== 0) failed += 1;
}
await sandbox.close();
process.stdout.write(failed ? `\n${failed} demo step(s) failed.\n` : `\nDemo finished. Try more commands with --config ${configFile}\n`);
process.exitCode = failed ? 1 : 0;

/** One CLI run as an async child: the sandbox runs in this process, so a sync spawn would block it. */
function run(args: string[], capture = false): Promise<{ code: number; stdout: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [bin, ...args, '--config', configFile], {
      cwd: demoDir, stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'],
    });
    let stdout = '';
    child.stdout?.on('data', (chunk) => { stdout += chunk; });
    child.on('close', (code) => resolveRun({ code: code ?? 1, stdout }));
  });
}
