// ESLint: typescript-eslint's recommended rules, React's rules of hooks for the studio UI, and no Node
// globals in the pure modules. `npm run lint` runs it with Prettier (formatting) and dependency-cruiser
// (the layers, .dependency-cruiser.cjs).
import { createRequire } from 'node:module';
import path from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const require = createRequire(import.meta.url);
const root = path.dirname(new URL(import.meta.url).pathname);
const pure = new RegExp(`^(${require('./scripts/layers.cjs').PURE.join('|')})$`);
const isPure = (file) => pure.test(path.relative(root, file).split(path.sep).join('/')) && !/\.test\.tsx?$/.test(file);

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'release/',
      'out/',
      'e2e/artifacts/',
      'bench-results/',
      // Generated: AssemblyScript kernels (compiled by their own tool) and their base64 modules.
      'src-main/engine/kernels/*.wasm.ts',
      'src-main/engine/kernels/assembly/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // A leading underscore names what is dropped on purpose (`const { id: _id, ...rest } = x`).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      // An effect that reads more than it lists says why on the line before its dependency list.
      'react-hooks/exhaustive-deps': 'error',
      // The React Compiler's rules (immutability, refs, set-state-in-effect...) are left out: the studio
      // does not use the compiler, and react-three-fiber mutates three.js objects from hooks by design.
    },
  },
  {
    // Pure modules also run in the browser page: no Node globals (dependency-cruiser checks their imports).
    files: [isPure],
    rules: {
      'no-restricted-globals': [
        'error',
        ...['Buffer', 'process', '__dirname', '__filename', 'require', 'global', 'setImmediate'].map((name) => ({
          name,
          message: `${name} is Node-only; this module is pure (scripts/layers.cjs) and runs in the studio UI too.`,
        })),
      ],
    },
  },
);
