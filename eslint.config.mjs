import tseslint from 'typescript-eslint';
import stylistic from '@stylistic/eslint-plugin';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'imports/', 'coverage/', '.build/'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@stylistic': stylistic },
    rules: {
      '@stylistic/indent': ['error', 2],
      '@stylistic/quotes': ['error', 'single', { avoidEscape: true }],
      '@stylistic/semi': ['error', 'always'],
      '@stylistic/comma-dangle': ['error', 'always-multiline'],
      '@stylistic/eol-last': ['error', 'always'],
      '@stylistic/no-trailing-spaces': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // CommonJS entry points and tool configuration.
    files: ['**/*.cjs', '**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Synthesized manifests are untyped JSON; tests read them as such.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      // Each call makes a temporary folder that nothing removes: hundreds per test run.
      'no-restricted-properties': ['error',
        { object: 'Testing', property: 'app', message: 'Use testApp() from test/helpers: Testing.app() leaves a temporary folder behind.' },
        { object: 'Testing', property: 'chart', message: 'Use testChart() from test/helpers: Testing.chart() leaves a temporary folder behind.' }],
    },
  },
);
