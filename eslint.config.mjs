// ESLint: typescript-eslint's type-checked strict rules over every TypeScript file of the project, plus the
// layer boundaries of docs/architecture.md. `npm test` runs it (one test per file in its summary line).
import tseslint from 'typescript-eslint';

/** What each layer of server/src may NOT import (docs/architecture.md, "Layers"); test/engine/imports.test.ts checks the same graph. */
const LAYERS = {
  core: ['languages', 'workspace', 'engine', 'rules', 'host-shared', 'lsp', 'cli'],
  languages: ['workspace', 'engine', 'rules', 'host-shared', 'lsp', 'cli'],
  workspace: ['engine', 'rules', 'host-shared', 'lsp', 'cli'],
  engine: ['rules', 'host-shared', 'lsp', 'cli'],
  rules: ['host-shared', 'lsp', 'cli'],
  'host-shared': ['lsp', 'cli'],
  lsp: ['cli'],
  cli: ['lsp'],
};

const boundaries = Object.entries(LAYERS).map(([layer, forbidden]) => ({
  files: [`server/src/${layer}/**/*.ts`],
  rules: {
    '@typescript-eslint/no-restricted-imports': ['error', {
      patterns: [
        { group: forbidden.map((f) => `**/${f}/**`), message: `${layer}/ sits below these layers: import downwards only (docs/architecture.md).` },
        { group: ['vscode', 'vscode-languageclient', 'vscode-languageclient/*'], message: 'only the client imports vscode.' },
      ],
    }],
  },
}));

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test/fixtures/**', 'test/e2e/workspace/**', 'test/go-stubs/**', '**/*.js', '**/*.mjs', '.vscode-test/**'] },
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // Unused parameters are part of an interface's shape (an adapter method that ignores an argument).
      '@typescript-eslint/no-unused-vars': ['error', { args: 'none', ignoreRestSiblings: true }],
      // node:test's test()/describe() return promises the runner awaits itself.
      '@typescript-eslint/no-floating-promises': ['error', {
        allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }],
      }],
    },
  },
  ...boundaries,
  {
    files: ['server/src/rules/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/engine/*', '!**/engine/rule'], message: 'rules read the engine through engine/rule.ts only (the rule contract).' },
          { group: ['**/host-shared/**', '**/lsp/**', '**/cli/**'], message: 'rules never import the hosts.' },
        ],
      }],
    },
  },
);
