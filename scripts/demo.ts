/**
 * `npm run demo`: the whole product against a local WeCom, with no credentials. Starts the sandbox
 * with a generated company, writes a config for it under ./demo, and runs the real CLI against it,
 * step by step, so a newcomer sees what each command does.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSandbox } from '../src/sandbox/index.ts';
import { archiveExtension } from '../src/sandbox/archive/index.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const demoDir = resolve(root, 'demo');
const bin = resolve(root, 'bin/wecom-archive');

rmSync(demoDir, { recursive: true, force: true });
mkdirSync(demoDir, { recursive: true });
const sandbox = await startSandbox({ seed: 7, size: 'small', port: 0, extensions: [archiveExtension()] });
const configFile = resolve(demoDir, 'wecom.env');
await sandbox.writeConfig(configFile);
process.stdout.write(`\n▶ sandbox WeCom at ${sandbox.url}; config written to ${configFile}\n`);

const steps: Array<{ title: string; args: string[] }> = [
  { title: 'Check the set-up', args: ['doctor'] },
  { title: 'Call an endpoint by hand', args: ['call', 'department/list'] },
  { title: 'Call another by its catalogue name', args: ['call', 'externalcontact.getFollowUserList'] },
];

let failed = 0;
for (const step of steps) {
  process.stdout.write(`\n▶ ${step.title}: wecom-archive ${step.args.join(' ')}\n`);
  // The sandbox runs in this process, so each step is an async child: a sync spawn would block it.
  const code = await run([...step.args, '--config', configFile]);
  if (code !== 0) failed += 1;
}
await sandbox.close();
process.stdout.write(failed ? `\n${failed} demo step(s) failed.\n` : '\nDemo finished.\n');
process.exitCode = failed ? 1 : 0;

function run(args: string[]): Promise<number> {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: 'inherit', cwd: demoDir });
    child.on('close', (code) => resolveRun(code ?? 1));
  });
}
