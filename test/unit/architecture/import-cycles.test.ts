import { type DependencyTree, parseCircular, parseDependencyTree } from 'dpdm';
import { beforeAll, describe, expect, it } from 'vitest';

// Every module of the deployed code and the CDK app, resolved as tsc resolves them (subpath imports included).
const sources = ['functions/**/*.ts', 'lib/**/*.ts', 'bin/**/*.ts'];

let tree: DependencyTree;

beforeAll(async () => {
  // Type-only imports count too: a cycle of types is still two files that cannot be understood apart.
  tree = await parseDependencyTree(sources, { tsconfig: 'tsconfig.json', transform: false, skipDynamicImports: false });
}, 120_000);

const ownModules = (): string[] => Object.keys(tree).filter((file) => !file.includes('node_modules'));

describe('import graph', () => {
  it('reads the whole tree, every own import resolved', () => {
    expect(ownModules()).toContain('functions/domain/learners.ts');
    expect(ownModules()).toContain('lib/merit-stack.ts');
    const unresolved = Object.values(tree)
      .flatMap((dependencies) => dependencies ?? [])
      .filter((dependency) => dependency.id === null && (dependency.request.startsWith('#') || dependency.request.startsWith('.')))
      .map((dependency) => `${dependency.issuer} → ${dependency.request}`);
    expect(unresolved).toEqual([]);
  });

  it('has no import cycles in functions/, lib/ or bin/', () => {
    const cycles = parseCircular(tree).filter((cycle) => cycle.some((file) => !file.includes('node_modules')));
    expect(cycles.map((cycle) => cycle.join(' → '))).toEqual([]);
  });

  it('keeps functions/domain pure: it imports nothing from adapters, features, http, config, handlers or local', () => {
    const outward = /^functions\/(adapters|features|http|config|handlers|local)\//;
    const leaks = Object.entries(tree)
      .filter(([file]) => file.startsWith('functions/domain/'))
      .flatMap(([file, dependencies]) =>
        (dependencies ?? [])
          .filter((dependency) => dependency.id && outward.test(dependency.id))
          .map((dependency) => `${file} → ${dependency.id}`),
      );
    expect(leaks).toEqual([]);
  });
});
