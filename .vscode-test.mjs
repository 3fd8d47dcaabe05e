// Online path (machines with internet): @vscode/test-cli downloads VS Code and runs the same compiled
// integration suites that CI runs offline inside code-server (test/integration/run.ts).
// Build them first: npm run build && npm run test:integration (or the "build integration tests" task).
import { defineConfig } from '@vscode/test-cli';

export default defineConfig([
  {
    label: 'integration',
    files: 'dist-test/integration/**/*.test.js',
    version: 'stable',
    mocha: { ui: 'bdd', timeout: 30000 },
    env: { CLAUDE_CONFIG_DIR: '/tmp/cct-vscode-test-claude' },
  },
]);
