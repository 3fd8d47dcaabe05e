import assert from 'node:assert/strict';
import { runCct } from '../../helpers/cct';

const run = (argv: string[], env: Record<string, string> = {}) => runCct(argv, env);

describe('cct main', () => {
  it('prints help listing the commands', async () => {
    const r = await run(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.out, /roots/);
  });

  it('fails with exit 2 and a message on stderr for an unknown command', async () => {
    const r = await run(['frobnicate']);
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown command 'frobnicate'/);
    assert.equal(r.out, '');
  });

  it('rejects unknown flags as a usage error', async () => {
    const r = await run(['roots', '--bogus']);
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown option --bogus/);
  });

  it('roots --json honours CLAUDE_CONFIG_DIR', async () => {
    const r = await run(['roots', '--json'], { CLAUDE_CONFIG_DIR: '/cfg' });
    assert.equal(r.code, 0);
    assert.equal(JSON.parse(r.out)[0], '/cfg');
  });
});
