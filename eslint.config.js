import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/', 'reports/', '**/dist/', '.stryker-tmp/'] },
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', 'bin/*.js', 'emulator/bin/*.js', 'emulator/scripts/*.js', 'scripts/mutation/*.js'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      'no-console': 'error',
      'max-lines': ['error', { max: 250, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['error', { max: 40, skipBlankLines: true, skipComments: true }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // JSON documents are maps: removing a key named by the data is the point of a merge patch.
      '@typescript-eslint/no-dynamic-delete': 'off',
      // node:test's describe/it return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] },
      ],
      '@typescript-eslint/no-confusing-void-expression': 'off',
    },
  },
  {
    // Cucumber binds `this` to the World in step functions, and test files describe many cases.
    files: ['steps/**/*.ts', 'test/**/*.ts'],
    rules: { 'max-lines-per-function': 'off' },
  },
  {
    files: ['eslint.config.js', 'cucumber.js', 'stryker.config.js', 'bin/*.js', 'emulator/bin/*.js', 'emulator/scripts/*.js', 'scripts/mutation/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
