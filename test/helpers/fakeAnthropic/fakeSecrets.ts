/**
 * FAKE secrets planted in the generated fixture transcripts (prompts, tool inputs, tool outputs,
 * files the CLI reads). They are shaped like the real thing so detectors fire, but every one is
 * invented. They are assembled from parts at runtime so this source file holds no literal that a
 * secret scanner would flag; the generated fixtures do hold them (that is the point) and the
 * manifest lists where each one landed. The privacy leak test (issue 4) uses them.
 */

export interface FakeSecret {
  id: string;
  kind: string;
  value: string;
  /**
   * Shaped like a documentation placeholder (AWS's "…EXAMPLE" keys, reserved example.com domains).
   * Detectors may deliberately leave these alone; a leak test should expect every OTHER value masked.
   */
  placeholderShaped?: boolean;
}

const rep = (s: string, n: number) => s.repeat(n);

export function fakeSecrets(): FakeSecret[] {
  return [
    // AWS access key id: AKIA + 16 of [A-Z2-7]
    // (no "EXAMPLE" inside: detectors rightly skip AWS's documented placeholder shapes)
    {
      id: 'aws-access-key-id',
      kind: 'aws_access_key_id',
      value: ['AK', 'IA', 'Q7CC', 'TF4K', 'E2ZN', '5MWL'].join(''),
    },
    // AWS secret access key: 40 chars of base64 alphabet
    {
      id: 'aws-secret-access-key',
      kind: 'aws_secret_access_key',
      value: ['cctF', 'akeS', 'ecre', 't/K7', 'MDEN', 'G+bP', 'xRfi', 'CYz9', 'Qw3r', 'Ty8u'].join(''),
    },
    // GitHub personal access token: ghp_ + 36 alphanumerics
    { id: 'github-pat', kind: 'github_token', value: `ghp_cctFixture${rep('Zq9', 8)}Xy` },
    // Anthropic API key shape: sk-ant-api03- + 93 url-safe chars + AA
    {
      id: 'anthropic-key',
      kind: 'anthropic_api_key',
      value: `sk-ant-api03-cctFixtureOnly_${rep('aB3-', 19)}cDAA`,
    },
    // Slack bot token
    {
      id: 'slack-bot-token',
      kind: 'slack_token',
      value: `${['xo', 'xb', '-'].join('')}2718281828-3141592653589-cctFakeSlackToken0123456`,
    },
    // Postgres URL with an inline password
    {
      id: 'postgres-password',
      kind: 'password_in_url',
      value: 'S3cr3t' + '-Fixture-' + 'Pa55word',
    },
    // Stripe-like live secret key
    { id: 'stripe-secret', kind: 'stripe_secret_key', value: `sk_live_cctFixture${rep('9dW', 6)}Pq` },
    // JWT (header.payload.signature), payload says it is a fixture
    {
      id: 'jwt',
      kind: 'jwt',
      value: [
        Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url'),
        Buffer.from(JSON.stringify({ sub: 'cct-fixture-user', name: 'Fixture Only', iat: 1795900000 })).toString(
          'base64url',
        ),
        `cctFixtureSignature${rep('Qx7', 8)}`,
      ].join('.'),
    },
    // placeholder-shaped twins (kept from the first fixture generation; test/unit/sync relies on them):
    // a careful detector skips these on purpose
    {
      id: 'aws-access-key-id-example',
      kind: 'aws_access_key_id',
      value: ['AK', 'IA', 'CCTF', 'AKEE', 'XAMP', 'LE7Q'].join(''),
      placeholderShaped: true,
    },
    {
      id: 'email-example-domain',
      kind: 'email',
      value: 'jane.doe.' + 'cct-fixture' + '@' + 'example.com',
      placeholderShaped: true,
    },
    // PII: an e-mail address
    // a real-looking domain: example.com / .test addresses are reserved and detectors skip them
    { id: 'email', kind: 'email', value: 'jane.doe.' + 'cct' + '@' + 'acme-widgets.io' },
  ];
}

export function secretValue(id: string): string {
  const s = fakeSecrets().find((x) => x.id === id);
  if (!s) throw new Error(`unknown fake secret ${id}`);
  return s.value;
}

/** Contents of the `secrets.env` file the tools scenario makes the CLI Read. */
export function secretsEnvFile(): string {
  const v = secretValue;
  return [
    '# FAKE credentials for Claude Code Tracer fixtures. None of these are real.',
    `AWS_ACCESS_KEY_ID=${v('aws-access-key-id')}`,
    `# docs sample: AWS_ACCESS_KEY_ID=${v('aws-access-key-id-example')}`,
    `AWS_SECRET_ACCESS_KEY=${v('aws-secret-access-key')}`,
    `GITHUB_TOKEN=${v('github-pat')}`,
    `DATABASE_URL=postgres://cct_admin:${v('postgres-password')}@db.internal.example:5432/prod`,
    `STRIPE_KEY=${v('stripe-secret')}`,
    '',
  ].join('\n');
}
