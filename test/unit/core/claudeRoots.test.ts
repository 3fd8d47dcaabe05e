import assert from 'node:assert/strict';
import { claudeConfigRoots } from '../../../src/core/transcript/claudeRoots';

describe('claudeConfigRoots', () => {
  it('defaults to ~/.claude and ~/.config/claude', () => {
    assert.deepEqual(claudeConfigRoots({ env: {}, homeDir: '/home/u' }), ['/home/u/.claude', '/home/u/.config/claude']);
  });

  it('uses every comma-separated CLAUDE_CONFIG_DIR entry instead of ~/.claude, deduplicated', () => {
    const r = claudeConfigRoots({ env: { CLAUDE_CONFIG_DIR: '/a, /b,,/a' }, homeDir: '/home/u', extra: ['~/x', '/b'] });
    assert.deepEqual(r, ['/a', '/b', '/home/u/.config/claude', '/home/u/x']);
  });

  it('honours XDG_CONFIG_HOME', () => {
    const r = claudeConfigRoots({ env: { XDG_CONFIG_HOME: '/xdg' }, homeDir: '/home/u' });
    assert.deepEqual(r, ['/home/u/.claude', '/xdg/claude']);
  });
});
