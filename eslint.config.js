// ESLint for every TypeScript file, with typescript-eslint's strict, type-aware
// rules: `npm test` runs it before jest, so CI fails on what it finds.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', 'node_modules/**', 'test-artifacts/**', 'bench/results/**', '**/*.js', '**/*.cjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Numbers and booleans print as people expect in a message or a log line.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // An arrow that returns a void call reads as one statement (`() => done()`).
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // `async` with no `await` keeps a promise contract (Fastify plugins, hooks and handlers; worker handlers; fakes): a throw becomes a rejection.
      '@typescript-eslint/require-await': 'off',
      // `const { id: _id, ...rest } = x` is how a field is left out of a copy.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },
  {
    // Tests index into replies they have just checked and read JSON bodies of
    // unknown shape; the assertion that follows is the check.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Tests check at run time what types only claim: afterAll's `rig?.close()` runs even when beforeAll failed to set `rig`.
      '@typescript-eslint/no-unnecessary-condition': 'off',
    },
  },
);
