import assert from 'node:assert/strict';
import { githubTarget } from '../../../src/core/codeContext/githubTarget';

describe('githubTarget (claudeTracer.github.enterpriseUrl)', () => {
  it('is github.com when empty, <url>/api/v3 with the github-enterprise provider otherwise', () => {
    assert.deepEqual(githubTarget(''), {
      providerId: 'github',
      apiBaseUrl: 'https://api.github.com',
      webHosts: ['github.com'],
    });
    assert.deepEqual(githubTarget(' https://ghe.example.com/ '), {
      providerId: 'github-enterprise',
      apiBaseUrl: 'https://ghe.example.com/api/v3',
      webHosts: ['ghe.example.com'],
    });
    assert.deepEqual(githubTarget('https://ghe.example.com:8443/git'), {
      providerId: 'github-enterprise',
      apiBaseUrl: 'https://ghe.example.com:8443/git/api/v3',
      webHosts: ['ghe.example.com'], // remotes name the host without the API's port
    });
  });

  it('refuses what is not an https URL, or one carrying credentials (a token would leak into requests)', () => {
    for (const bad of ['ghe.example.com', 'http://ghe.example.com', 'https://me:ghp_x@ghe.example.com'])
      assert.ok('error' in githubTarget(bad), bad);
  });
});
