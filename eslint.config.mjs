import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.cache/', 'data/', 'uploads/', 'coverage/', 'test-artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  // The shape of src/ (issue 13): small files, no import cycles, and the HTTP layer on top.
  {
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    rules: {
      // Lexicon data lives in lexicons/ as JSON, so every source file counts, every line of it.
      'max-lines': ['error', { max: 400, skipBlankLines: false, skipComments: false }],
      // Type-only imports are erased at compile time and are not followed.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    // Nothing below the HTTP layer knows it: domain code throws src/errors.ts, never HTTP errors.
    // The composition root (src/service.ts) is the one module that builds the app.
    files: ['src/**/*.ts'],
    ignores: ['src/http/**', 'src/service.ts'],
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: [{ target: './src', from: './src/http', message: 'only src/http (and the composition root, src/service.ts) may import from src/http' }] }],
    },
  },
  {
    // Known debt (issue 13): grown past 400 lines by the detection and extraction work that landed
    // beside the split. Each is to be split by responsibility (obfuscation: per-script tables apart
    // from the rewrite; referents: per-language demonym rules apart from the group finder). Nothing
    // else may join them.
    files: ['src/analyze/obfuscation.ts', 'src/analyze/referents.ts'],
    rules: { 'max-lines': 'off' },
  },
);
