// The layers of the code, checked by `npm run lint` (docs/architecture.md draws them).
//
// - The studio UI (src-renderer) talks to the engine through src-main/api, and may import only the
//   pure engine modules listed in scripts/layers.cjs: plain functions and types that run in a browser.
// - Pure modules import only pure modules, never a Node builtin, and of npm packages only zod and three.
//   The sampler is pure too (it is the method, and it must stay testable alone).
// - The engine (src-main/engine) is plain Node: it never imports the host, the CLI, Electron, the API
//   or the local server, nor the UI. Its rooms stand on floors (scripts/layers.cjs): a room imports
//   rooms on its own floor or below.
// - The processes' code stays apart: host, server, electron and cli import each other only as they
//   start each other (electron and server start the host, the CLI the server); only the UI and the
//   benchmarks import src-renderer.
// - Production code never imports test helpers (src-main/test, test files).
// - No import cycles.
//
// To see a rule fail, plant a bad import (e.g. `import 'node:fs'` in engine/lambda/table.ts) and run
// `npm run lint:layers`; layers.test.ts does exactly that on a copy of the tree.

const { FLOORS, PURE } = require('./scripts/layers.cjs');
const pure = `^(${PURE.join('|')})$`;
const tests = '(\\.test\\.tsx?|\\.e2e\\.ts)$|^src-main/test/|^e2e/';
const rooms = (floors) => `^src-main/engine/(${floors.flat().join('|')})/`;

/** One rule per floor but the top: its rooms import nothing from the floors above. */
const floorRules = FLOORS.slice(0, -1).map((floor, k) => ({
  name: `engine-floor-${k}`,
  comment: `Rooms on floor ${k} (${floor.join(', ')}) import only rooms on their floor or below (scripts/layers.cjs).`,
  severity: 'error',
  from: { path: rooms([floor]), pathNot: tests },
  to: { path: rooms(FLOORS.slice(k + 1)) },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle: modules that need each other are one module, or one of them holds what both need.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'renderer-through-api',
      comment:
        'The studio UI imports src-main/api and the pure engine modules listed in scripts/layers.cjs, nothing else of src-main.',
      severity: 'error',
      from: { path: '^src-renderer/', pathNot: tests },
      to: { path: '^src-main/', pathNot: pure },
    },
    {
      name: 'renderer-no-node',
      comment: 'The studio UI runs in a browser page: no Node builtins.',
      severity: 'error',
      from: { path: '^src-renderer/', pathNot: tests },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'pure-imports-pure',
      comment:
        'A pure module imports only pure modules (list a new one in scripts/layers.cjs only if it is pure itself).',
      severity: 'error',
      from: { path: pure, pathNot: tests },
      to: { path: '^src-main/', pathNot: pure },
    },
    {
      name: 'pure-no-node',
      comment: 'Pure modules run in the browser and in the sampler: no Node builtins.',
      severity: 'error',
      from: { path: pure, pathNot: tests },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'pure-npm',
      comment: 'Pure modules use only zod and three of the npm packages.',
      severity: 'error',
      from: { path: pure, pathNot: tests },
      to: { path: '(^|/)node_modules/', pathNot: '(^|/)node_modules/(zod|three)/' },
    },
    {
      name: 'engine-stays-down',
      comment: 'The engine is plain Node: it never imports the host, CLI, Electron, API, server, benchmarks or UI.',
      severity: 'error',
      from: { path: '^src-main/engine/' },
      to: { path: '^(src-main/(host|cli|electron|api|server|bench)/|src-renderer/|node_modules/electron/)' },
    },
    ...floorRules,
    ...[
      ['host', 'cli|server|electron|bench'],
      ['server', 'cli|electron|bench'],
      ['electron', 'cli|server|bench'],
      ['cli', 'electron'],
    ].map(([from, to]) => ({
      name: `processes-apart-${from}`,
      comment: `src-main/${from} does not import src-main/(${to}): Electron and the local server start the host, the CLI starts the server, and they meet only through the API.`,
      severity: 'error',
      from: { path: `^src-main/${from}/`, pathNot: tests },
      to: { path: `^src-main/(${to})/` },
    })),
    {
      name: 'ui-code-in-ui',
      comment: 'Only the UI itself (and the benchmarks that measure it) import src-renderer.',
      severity: 'error',
      from: { path: '^src-main/', pathNot: `${tests}|^src-main/bench/` },
      to: { path: '^src-renderer/' },
    },
    {
      name: 'no-test-helpers-in-production',
      comment: 'Test helpers live in src-main/test (and test files); production code never imports them.',
      severity: 'error',
      from: { pathNot: `${tests}|^src-main/bench/` },
      to: { path: tests },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|e2e/artifacts)/|\\.wasm\\.ts$' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
