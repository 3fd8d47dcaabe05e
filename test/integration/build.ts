// Prepares the online @vscode/test-cli path (npm run test:vscode): compiles the same suites CI runs in
// code-server and creates the CLAUDE_CONFIG_DIR that .vscode-test.mjs points the extension at.
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { buildHostSuites } from '../helpers/buildTests';
import { REPO_ROOT } from '../helpers/repo';

void buildHostSuites('integration', path.join(REPO_ROOT, 'test', 'integration', 'suite')).then(() => {
  mkdirSync('/tmp/cct-vscode-test-claude/projects', { recursive: true });
});
