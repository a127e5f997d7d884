import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The layering of docs/CONVENTIONS.md ("Layers"), checked on the import statements themselves:
 * static, type-only, re-exports and `await import('…')` alike (TypeScript's own pre-processor reads
 * them, so comments and strings never count). Each violation reads `file → import: rule`.
 */

const ROOT = resolve(import.meta.dirname, '..');

interface Edge {
  /** Importing file, relative to the repository root with `/` separators. */
  from: string;
  /** The imported file, the same way. */
  to: string;
  /** The specifier as written. */
  specifier: string;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : tsFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

const posix = (path: string): string => relative(ROOT, path).split(sep).join('/');

function resolveImport(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined; // a package, not our code
  const base = resolve(dirname(file), specifier);
  return [base, `${base}.ts`, join(base, 'index.ts')].find((path) => existsSync(path) && statSync(path).isFile());
}

function importsOf(file: string): Edge[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles.flatMap(({ fileName }) => {
    const target = resolveImport(file, fileName);
    return target ? [{ from: posix(file), to: posix(target), specifier: fileName }] : [];
  });
}

/** Every import of every .ts file under src/ (tests included: some rules exempt them by name). */
const EDGES = tsFiles(join(ROOT, 'src')).flatMap(importsOf);

const isTest = (path: string): boolean => path.endsWith('.test.ts');
const under = (path: string, dir: string): boolean => path.startsWith(`${dir}/`);

interface Rule {
  name: string;
  /** True when the edge breaks the rule. */
  breaks(edge: Edge): boolean;
}

const RULES: Rule[] = [
  {
    name: 'src/wecom imports nothing from src/store, src/sync, src/archive or src/config',
    breaks: ({ from, to }) => under(from, 'src/wecom') && ['store', 'sync', 'archive', 'config'].some((d) => under(to, `src/${d}`)),
  },
  {
    name: 'src/store knows nothing of WeCom (src/wecom)',
    breaks: ({ from, to }) => under(from, 'src/store') && under(to, 'src/wecom'),
  },
  {
    name: 'product code never imports the sandbox (only the `sandbox` command, scripts, tests and benchmarks may)',
    breaks: ({ from, to }) => under(to, 'src/sandbox') && !under(from, 'src/sandbox') && !isTest(from)
      && from !== 'src/cli/commands/sandbox.ts',
  },
  {
    name: 'only bin/ (and the CLI itself) imports src/cli: services and domains never reach into a face',
    breaks: ({ from, to }) => under(to, 'src/cli') && !under(from, 'src/cli') && !isTest(from),
  },
  {
    name: 'the HTTP server and the background jobs are faces: they reach the store, sync and archive only through src/services',
    breaks: ({ from, to }) => (under(from, 'src/server') || under(from, 'src/jobs')) && !isTest(from)
      && ['store', 'sync', 'archive'].some((d) => under(to, `src/${d}`)),
  },
];

/** Every import cycle among files under src/, type-only imports included, each as one path. */
function cycles(edges: Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to]);
  // Tarjan's strongly connected components: each component of more than one file holds a cycle.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const to of next.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node)!, index.get(to)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      const selfLoop = (next.get(node) ?? []).includes(node);
      if (component.length > 1 || selfLoop) components.push(component);
    }
  };
  for (const node of [...next.keys()].sort()) if (!index.has(node)) visit(node);
  return components.map((component) => cyclePath(component.sort(), next));
}

/** One concrete loop through a component, starting at its first file: a → b → … → a. */
function cyclePath(component: string[], next: Map<string, string[]>): string[] {
  const members = new Set(component);
  const start = component[0]!;
  const seen = new Map<string, string>([[start, '']]);
  const queue = [start];
  while (queue.length) {
    const node = queue.shift()!;
    for (const to of next.get(node) ?? []) {
      if (to === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(seen.get(path[0]!)!);
        return [...path, start];
      }
      if (members.has(to) && !seen.has(to)) {
        seen.set(to, node);
        queue.push(to);
      }
    }
  }
  return component;
}

describe('layering (docs/CONVENTIONS.md)', () => {
  it('reads the imports it checks', () => {
    // Guards the checker itself: a parser that found nothing would pass every rule.
    expect(EDGES.length).toBeGreaterThan(500);
    expect(EDGES).toContainEqual(expect.objectContaining({ from: 'src/cli/commands/sandbox.ts' }));
  });

  it.each(RULES.map((rule) => [rule.name, rule] as const))('%s', (_name, rule) => {
    const violations = EDGES.filter((edge) => rule.breaks(edge)).map((edge) => `${edge.from} → ${edge.specifier}: ${rule.name}`);
    expect(violations).toEqual([]);
  });

  it('src/services never imports the CLI', () => {
    const violations = EDGES.filter(({ from, to }) => under(from, 'src/services') && under(to, 'src/cli'))
      .map((edge) => `${edge.from} → ${edge.specifier}: a service is called by faces, it never imports one`);
    expect(violations).toEqual([]);
  });

  it('has no import cycle under src/ (type-only imports count)', () => {
    const found = cycles(EDGES.filter((edge) => under(edge.to, 'src'))).map((path) => `cycle: ${path.join(' → ')}`);
    expect(found).toEqual([]);
  });
});
