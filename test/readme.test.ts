import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS } from '../src/config/keys.ts';
import { buildProgram } from '../src/cli/program.ts';

/** The README is the newcomer's manual: every key and every command it ships must be in it. */
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

function commandPaths(command: Command, prefix = ''): string[] {
  return command.commands.flatMap((sub) => {
    const path = `${prefix}${sub.name()}`;
    return [path, ...commandPaths(sub, `${path} `)];
  });
}

describe('README', () => {
  it('starts with the two commands', () => {
    const firstBlock = readme.slice(readme.indexOf('```'), readme.indexOf('```', readme.indexOf('```') + 3));
    expect(firstBlock).toContain('npm run demo');
    expect(firstBlock).toContain('npm test');
  });

  it('documents every configuration key', () => {
    for (const spec of CONFIG_KEYS) expect(readme, spec.key).toContain(`\`${spec.key}\``);
  });

  it('documents every command', () => {
    const paths = commandPaths(buildProgram('en'));
    expect(paths.length).toBeGreaterThan(5);
    for (const path of paths) expect(readme, path).toContain(`\`${path}`);
  });
});
