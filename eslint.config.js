// Lint rules, including the layer map (scripts/eslint/layers.js): each folder may import
// only what may run where it runs (see ARCHITECTURE.md). A crossing fails `npm run lint`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { layersPlugin } from './scripts/eslint/layers.js';

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'contracts/artifacts/**', 'contracts/cache/**', 'coverage/**', 'out/**', 'test-results/**', '**/*.cjs', '**/*.mjs', '**/*.js'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { layers: layersPlugin },
    rules: {
      'layers/boundaries': 'error',
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'], package: 'node:test' }] },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Playwright reads a fixture's dependencies from its destructuring, so `{}` is meaningful there.
    files: ['e2e/**'],
    rules: { 'no-empty-pattern': 'off' },
  },
  {
    // zustand stores hold actions as methods that never use `this`; selecting one is safe.
    files: ['renderer/**/*.{ts,tsx}'],
    rules: { '@typescript-eslint/unbound-method': 'off' },
  },
  {
    // Tests and tools may poke at internals; the boundaries still hold for product code.
    files: ['**/*.test.ts', '**/*.test.tsx', 'e2e/**', 'bench/**', 'scripts/**', 'renderer/src/test/**', 'renderer/vite.config.ts'],
    rules: {
      // Component tests import React only after a DOM exists, so they type those modules with import().
      '@typescript-eslint/consistent-type-imports': ['error', { disallowTypeAnnotations: false }],
      'layers/boundaries': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
);
