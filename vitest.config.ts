import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// Tests import sibling packages from source, so unit tests need no build.
// Conformance and CLI tests that spawn processes use the built dist/ instead.
const packagesDir = resolve(import.meta.dirname, 'packages');
const alias = readdirSync(packagesDir).map((name) => ({
  find: new RegExp(`^@starling/${name}$`),
  replacement: resolve(packagesDir, name, 'src/index.ts'),
}));

export default defineConfig({
  resolve: { alias },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'conformance/test/**/*.test.ts', 'bench/src/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
