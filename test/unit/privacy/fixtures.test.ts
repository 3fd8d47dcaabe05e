/**
 * The guard over real Claude Code transcripts (test/fixtures/claude, recorded from the real CLI by the transcript
 * engine's fixture script) whose prompts and tool outputs carry planted secrets listed in manifest.json:
 * every record masked with maskJson must contain none of them, raw or JSON-escaped, and stay valid JSON.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPrivacyGuard } from '../../../src/core/privacy';

const ROOT = join(__dirname, '..', '..', 'fixtures', 'claude');
const MANIFEST = join(ROOT, 'manifest.json');

interface Manifest {
  files: string[];
  secrets: { id: string; kind: string; value: string; placeholderShaped?: boolean }[];
}

describe('privacy guard on the real-CLI fixtures', () => {
  before(function () {
    if (!existsSync(MANIFEST)) this.skip();
  });

  it('no planted secret survives maskJson of any record, and the records stay JSON', () => {
    const m = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest;
    const guard = createPrivacyGuard({ hmacKey: 'fixture-test-key-0123456789abcdef' });
    const planted = m.secrets.map((s) => s.value);
    const forms = planted.flatMap((v) => [v, JSON.stringify(v).slice(1, -1)]);
    let records = 0;
    let rawHits = 0;
    const counts: Record<string, number> = {};
    const leaks = new Set<string>();
    for (const f of m.files.filter((x) => x.endsWith('.jsonl'))) {
      for (const line of readFileSync(join(ROOT, f), 'utf8').split('\n')) {
        if (!line.trim()) continue;
        records++;
        if (forms.some((v) => line.includes(v))) rawHits++;
        const { value, counts: c } = guard.maskJson(JSON.parse(line) as unknown);
        for (const [k, n] of Object.entries(c)) counts[k] = (counts[k] ?? 0) + n;
        const out = JSON.stringify(value);
        JSON.parse(out);
        for (const s of m.secrets)
          if (out.includes(s.value) || out.includes(JSON.stringify(s.value).slice(1, -1))) leaks.add(s.id);
      }
    }
    assert.ok(records > 50, `fixtures have records (${records})`);
    assert.ok(rawHits >= 5, `the fixtures carry planted secrets for this test to mean anything (${rawHits} lines)`);
    // documentation-style values (AKIA…EXAMPLE, @example.com) are hard negatives by design (issue 4): they stay
    const placeholders = m.secrets.filter((s) => s.placeholderShaped).map((s) => s.id);
    assert.deepEqual(
      [...leaks].filter((id) => !placeholders.includes(id)),
      [],
      `planted secrets left after masking: ${[...leaks].join(', ')}`,
    );
    assert.deepEqual(
      [...leaks].filter((id) => placeholders.includes(id)).sort(),
      placeholders.sort(),
      'placeholder-shaped values are left as they are',
    );
    assert.ok(Object.keys(counts).length >= 5, `categories found: ${JSON.stringify(counts)}`);
  });
});
