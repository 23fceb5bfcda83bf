#!/usr/bin/env node
// The `camtrack` command line. Runs the TypeScript sources through tsx, so that the CLI, the
// tests and the studio share one engine without a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src-main/cli/main.ts');
process.exitCode = await main(process.argv);
