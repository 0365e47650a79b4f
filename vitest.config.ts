import { defineConfig } from 'vitest/config';

// Date and clock rules must not depend on the server's zone, so the domain suite runs twice: once
// in Europe/London (both DST changes happen in the tests' dates) and once in UTC.
export default defineConfig({
  test: {
    reporters: ['default', './test/support/summaryReporter.ts'],
    projects: [
      { test: { name: 'london', include: ['test/**/*.test.ts'], env: { TZ: 'Europe/London' }, hookTimeout: 30_000 } },
      { test: { name: 'utc', include: ['test/domain/**/*.test.ts'], env: { TZ: 'UTC' } } },
    ],
  },
});
