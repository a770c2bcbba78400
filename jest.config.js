/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Type-checking is `npm run typecheck`'s job; jest only transpiles.
  transform: {
    '^.+\\.ts$': 'ts-jest',
    // secretlint ships ES modules only; Node 20 runs them through require(), jest's module system does not.
    '/node_modules/@secretlint/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022', esModuleInterop: true, isolatedModules: true } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!@secretlint/)'],
};
