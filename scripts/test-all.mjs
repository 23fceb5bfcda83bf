#!/usr/bin/env node
// `npm test`: type-check, lint (formatting, ESLint, the layers), build the studio, run the unit tests
// and the end-to-end tests, then print one closing line counting every test that ran: "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const outDir = path.join(root, 'e2e', 'artifacts');
mkdirSync(outDir, { recursive: true });
const skipE2E = process.argv.includes('--unit');

function run(label, cmd, args) {
  process.stdout.write(`\n== ${label}: ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
  return r.status ?? 1;
}

function count(jsonFile) {
  if (!existsSync(jsonFile)) return { passed: 0, failed: 1, missing: true };
  const j = JSON.parse(readFileSync(jsonFile, 'utf8'));
  // A file that failed to load counts as one failure: its tests never ran.
  const brokenSuites = (j.testResults ?? []).filter(
    (s) => s.status === 'failed' && (s.assertionResults ?? []).length === 0,
  ).length;
  return { passed: j.numPassedTests ?? 0, failed: (j.numFailedTests ?? 0) + brokenSuites };
}

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
let failed = 0;
let passed = 0;

const tsc = run('type-check', npx, ['tsc', '-p', 'tsconfig.json', '--noEmit']);
if (tsc !== 0) failed += 1;
else passed += 1;

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const lint = run('lint', npm, ['run', '--silent', 'lint']);
if (lint !== 0) failed += 1;
else passed += 1;

const unitJson = path.join(outDir, 'unit-results.json');
rmSync(unitJson, { force: true });
run('unit tests', npx, ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${unitJson}`]);
const unit = count(unitJson);
passed += unit.passed;
failed += unit.failed;

if (!skipE2E) {
  const build = run('build', 'node', ['scripts/build.mjs']);
  if (build !== 0) failed += 1;
  const e2eJson = path.join(outDir, 'e2e-results.json');
  rmSync(e2eJson, { force: true });
  run('end-to-end tests', npx, [
    'vitest',
    'run',
    '--config',
    'e2e/vitest.config.ts',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${e2eJson}`,
  ]);
  const e2e = count(e2eJson);
  passed += e2e.passed;
  failed += e2e.failed;
}

process.stdout.write(`\n(the type-check and the lint count as one test each)\n${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
