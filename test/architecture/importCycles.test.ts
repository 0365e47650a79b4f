import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * No module in src/ reaches itself through its imports, type-only imports included (issue #14 item 8):
 * a cycle means two modules are one concept split in two, or a shared type lives in the wrong file.
 * The graph is read with the TypeScript compiler's own pre-processor (every `import`, `import type`,
 * `export ... from` and `import()`), resolved as tsc resolves them.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const SRC = join(ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|mts|cts)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function compilerOptions(): ts.CompilerOptions {
  const configPath = join(ROOT, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  return ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT, undefined, configPath).options;
}

/** Each file in src/ and the files in src/ it imports (packages and files outside src/ left out). */
export function importGraph(files: readonly string[], options: ts.CompilerOptions): Map<string, string[]> {
  const inSrc = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles
      .map((ref) => ts.resolveModuleName(ref.fileName, file, options, ts.sys).resolvedModule?.resolvedFileName)
      .filter((target): target is string => target !== undefined && inSrc.has(resolve(target)))
      .map((target) => resolve(target));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** One cycle through each strongly connected component of more than one file (or a file importing itself). */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  // Tarjan's strongly connected components (recursive: the graph is a few hundred files deep at most).
  let index = 0;
  const indices = new Map<string, number>();
  const lowlinks = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (v: string) => {
    indices.set(v, index);
    lowlinks.set(v, index);
    index += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        connect(w);
        lowlinks.set(v, Math.min(lowlinks.get(v)!, lowlinks.get(w)!));
      } else if (onStack.has(w)) {
        lowlinks.set(v, Math.min(lowlinks.get(v)!, indices.get(w)!));
      }
    }
    if (lowlinks.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      components.push(component);
    }
  };
  for (const v of [...graph.keys()].sort()) if (!indices.has(v)) connect(v);

  return components
    .filter((c) => c.length > 1 || (graph.get(c[0]!) ?? []).includes(c[0]!))
    .flatMap((component) => {
      // The shortest cycle through each file of the component, each cycle once (from its first file by name).
      const members = new Set(component);
      const seen = new Set<string>();
      return [...component].sort().flatMap((start) => {
        const cycle = shortestCycle(graph, members, start);
        const rotated = rotate(cycle.slice(0, -1));
        const key = rotated.join('\0');
        if (seen.has(key)) return [];
        seen.add(key);
        return [[...rotated, rotated[0]!]];
      });
    });
}

/** The shortest way from `start` back to itself, breadth-first, inside one strongly connected component. */
function shortestCycle(graph: ReadonlyMap<string, readonly string[]>, members: ReadonlySet<string>, start: string): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(cameFrom.get(path[0]!)!);
        return [...path, start];
      }
      if (!cameFrom.has(w)) {
        cameFrom.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

/** A cycle's files starting from the first by name, so the same cycle found from two files reads the same. */
function rotate(cycle: readonly string[]): string[] {
  const first = cycle.indexOf([...cycle].sort()[0]!);
  return [...cycle.slice(first), ...cycle.slice(0, first)];
}

describe('the import graph of src/', () => {
  const files = sourceFiles(SRC);
  const graph = importGraph(files, compilerOptions());

  it('reads the imports of every file, type-only ones included', () => {
    expect(files.length).toBeGreaterThan(50);
    const teamsApp = join(SRC, 'app/teams/teamsApp.ts');
    expect(graph.get(teamsApp)?.map((f) => relative(SRC, f))).toContain('app/teams/actor.ts'); // an `import type`
  });

  it('has no cycles, type-only imports included', () => {
    const cycles = findCycles(graph).map((cycle) => cycle.map((f) => relative(ROOT, f)).join('\n    -> '));
    expect(cycles, `import cycles:\n  ${cycles.join('\n\n  ')}\n`).toEqual([]);
  });

  it('finds a cycle when there is one, and names its path', () => {
    const graphWithCycle = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', []],
      ['e', ['e']],
    ]);
    expect(findCycles(graphWithCycle).sort()).toEqual([
      ['a', 'b', 'c', 'a'],
      ['e', 'e'],
    ]);
  });
});
