import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const HARNESS = {
  group: ['**/harness/**', '../harness', '../../harness'],
  message: 'src/ must not import harness/: the harness imports the product, never the reverse.',
};
const layer = (what, group) => ({
  group,
  message: `${what} sits below the product's services (docs/architecture.md §5): it must not import them.`,
});

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'reports/', '**/build/', '**/.scratch/', 'move/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Module boundaries (docs/architecture.md §5): no runtime import cycles anywhere. Type-only
    // references between mutually recursive declarations are not cycles at run time.
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createTypeScriptImportResolver()],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true, allowUnsafeDynamicCyclicDependency: false }],
    },
  },
  {
    // Dependencies point one way: the harness may import the product, never the reverse; inside
    // src/, the layers of docs/architecture.md §5 (shared ← k8s, sui ← contract ← the services).
    files: ['src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [HARNESS] }] },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            HARNESS,
            {
              group: ['**/../*/**'],
              message: 'src/shared is the bottom layer: it imports nothing else of src/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/k8s/**/*.ts', 'src/sui/**/*.ts', 'src/contract/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            HARNESS,
            layer('src/k8s, src/sui and src/contract', [
              '**/gateway/**',
              '**/nautilus/**',
              '**/cli/**',
              '**/confidentiality/**',
            ]),
          ],
        },
      ],
    },
  },
);
