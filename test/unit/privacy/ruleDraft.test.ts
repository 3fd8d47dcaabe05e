import assert from 'node:assert/strict';
import { draftRule, guessKeyword, previewRule, ruleIdFromName } from '../../../src/core/privacy/ruleDraft';

describe('Add Privacy Rule…: the guided rule', () => {
  it('makes an id of the name the user typed', () => {
    assert.equal(ruleIdFromName('ACME token'), 'ACME-token');
    assert.equal(ruleIdFromName('  社内 key #1 '), 'key-1');
    assert.equal(ruleIdFromName('日本語'), '');
    assert.equal(ruleIdFromName('x'.repeat(80)).length, 64);
  });

  it('guesses the keyword from the pattern’s longest literal run', () => {
    assert.equal(guessKeyword('acme_[A-Za-z0-9]{32}'), 'acme_');
    assert.equal(guessKeyword('\\bproj-[0-9]{6}-secret'), 'secret');
    assert.equal(guessKeyword('tok_?[a-z]{4}'), 'tok');
    assert.equal(guessKeyword('[0-9]{12}'), undefined);
    assert.equal(guessKeyword('foo[0-9]{3}|bar[0-9]{3}'), undefined, 'no literal is in every match of an alternation');
  });

  it('validates the pattern with the RE2 engine and the limits a scan applies', () => {
    const ok = draftRule({ name: 'acme', pattern: 'acme_[A-Za-z0-9]{32}' }, []);
    assert.deepEqual(ok.rule, { id: 'acme', category: 'custom', keywords: ['acme_'], pattern: 'acme_[A-Za-z0-9]{32}' });
    assert.match(draftRule({ name: 'x', pattern: 'acme_(?=x)[a-z]{3}' }, []).error ?? '', /acme|pattern|look/i);
    assert.match(draftRule({ name: 'x', pattern: 'acme_.*' }, []).error ?? '', /unbounded|unsafe/);
    assert.match(draftRule({ name: 'x', pattern: '(a' }, []).error ?? '', /pattern|unterminated|missing/i);
    assert.match(draftRule({ name: 'x', pattern: '[0-9]{12}' }, []).error ?? '', /keyword/);
    assert.match(
      draftRule({ name: 'acme', pattern: 'acme_[a-z]{4}' }, [ok.rule]).error ?? '',
      /duplicate id/,
      'an id already in settings is refused',
    );
    assert.equal(draftRule({ name: 'x', pattern: '[0-9]{12}', keywords: ['order'] }, []).rule?.keywords[0], 'order');
    assert.equal(draftRule({ name: 'ci', pattern: 'acme_[a-z]{4}', caseInsensitive: true }, []).rule?.flags, 'i');
  });

  it('shows what the rule masks in a sample, and nothing where it does not match', () => {
    const { rule } = draftRule({ name: 'acme', pattern: 'acme_[A-Za-z0-9]{8}' }, []);
    assert.ok(rule);
    const p = previewRule(rule, 'deploy with acme_AbCd1234 now');
    assert.deepEqual(p.matches, ['acme_AbCd1234']);
    assert.ok(!p.masked.includes('AbCd1234'), p.masked);
    assert.ok(p.masked.startsWith('deploy with '));
    assert.deepEqual(previewRule(rule, 'nothing here').matches, []);
    assert.equal(previewRule(rule, 'nothing here').masked, 'nothing here');
  });
});
