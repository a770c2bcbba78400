import tseslint from 'typescript-eslint';
import stylistic from '@stylistic/eslint-plugin';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', '.build/', 'build/', 'out/'] },
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
    // Sizes a reader takes in at once: a file of one responsibility, a function on one screen.
    files: ['lib/**/*.ts', 'app/**/*.ts'],
    rules: {
      'max-lines': ['error', { max: 350, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }],
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
      // Testing.app() and Testing.chart() make a temporary folder per call that nothing removes.
      'no-restricted-imports': ['error', { paths: [{ name: 'cdk8s', importNames: ['Testing'], message: 'Use testApp() or testChart() from test/helpers: Testing.app() and Testing.chart() leave a temporary folder behind.' }] }],
    },
  },
);
