import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { classifyTranscriptPath, isForbiddenPath } from '../../../src/core/transcript/transcriptFile';
import { fsTranscriptSource } from '../../../src/infra/fs/transcriptDiscovery';
import { TempTree } from './engine';

describe('transcript discovery', () => {
  let tree: TempTree;
  beforeEach(() => {
    tree = new TempTree();
    const cfg = path.join(tree.root, 'cfg');
    tree.write('-home-dev-p/s1.jsonl', '{}\n');
    tree.write('-home-dev-p/s1/subagents/agent-a1.jsonl', '{}\n');
    tree.write('-home-dev-p/s1/subagents/agent-a1.meta.json', '{"toolUseId":"toolu_9","agentType":"general-purpose"}');
    tree.write('-home-dev-p/s1/subagents/workflows/wf1/agent-w1.jsonl', '{}\n');
    tree.write('-home-dev-p/s1/subagents/workflows/wf1/journal.jsonl', '{}\n');
    tree.write('-home-dev-p/agent-0badc0de.jsonl', '{}\n'); // < 2.1.2 layout
    tree.write('-home-dev-p/memory/notes.jsonl', '{}\n');
    tree.write('-home-dev-p/notes.txt', 'x');
    // things that must never be opened, even if they sat inside a root
    for (const f of [
      '.claude.json',
      '.credentials.json',
      'sessions/123.abc.key',
      'file-history/s1/x@v1',
      'ide/4242.lock',
    ]) {
      fs.mkdirSync(path.dirname(path.join(cfg, f)), { recursive: true });
      fs.writeFileSync(path.join(cfg, f), 'secret');
    }
  });
  afterEach(() => tree.dispose());

  it('finds main, subagent (incl. workflows) and legacy agent files; skips journals, memory and non-transcripts', async () => {
    for (const root of [path.join(tree.root, 'cfg'), tree.projects]) {
      const found = await fsTranscriptSource.discover(root);
      const rel = found.map((f) => [path.relative(tree.projects, f.path), f.kind, f.sessionId, f.agentId].join(' '));
      assert.deepEqual(
        rel.slice(0, 2),
        ['-home-dev-p/s1.jsonl main s1 ', '-home-dev-p/agent-0badc0de.jsonl legacy-agent  0badc0de'],
        'main files first',
      );
      assert.deepEqual(rel.slice(2).sort(), [
        '-home-dev-p/s1/subagents/agent-a1.jsonl subagent s1 a1',
        '-home-dev-p/s1/subagents/workflows/wf1/agent-w1.jsonl subagent s1 w1',
      ]);
    }
    assert.deepEqual(
      await fsTranscriptSource.readSubagentMeta(
        path.join(tree.projects, '-home-dev-p/s1/subagents/agent-a1.meta.json'),
      ),
      {
        toolUseId: 'toolu_9',
        agentType: 'general-purpose',
      },
    );
    assert.deepEqual(await fsTranscriptSource.discover(path.join(tree.root, 'nothing-here')), []);
  });

  it('classifies paths and refuses credential and backup files', () => {
    assert.equal(classifyTranscriptPath('/c/projects/p/s.jsonl')?.kind, 'main');
    assert.equal(
      classifyTranscriptPath('/c/projects/p/s/subagents/agent-x.jsonl')?.metaPath,
      '/c/projects/p/s/subagents/agent-x.meta.json',
    );
    assert.equal(classifyTranscriptPath('/c/projects/p/s.json'), undefined);
    for (const p of [
      '/h/.claude.json',
      '/h/.claude/.credentials.json',
      '/h/.claude/sessions/1.k.key',
      '/h/.claude/file-history/s/a@v1',
      '/h/.claude/ide/1.lock',
    ]) {
      assert.ok(isForbiddenPath(p), p);
    }
    assert.ok(!isForbiddenPath('/h/.claude/projects/p/s.jsonl'));
  });
});
