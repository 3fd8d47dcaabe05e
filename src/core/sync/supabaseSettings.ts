/**
 * Validation of the Supabase connection a user configures. The extension ships and stores only the project URL
 * and the publishable (anon) key; a secret / service-role key bypasses RLS and would let anyone who reads the
 * settings or the VSIX read and delete every user's data, so it is refused with an explanation.
 */
export type KeyKind = 'publishable' | 'legacy-anon' | 'secret' | 'legacy-service-role' | 'unknown';

export interface ConnectionCheck {
  ok: boolean;
  keyKind: KeyKind;
  /** Normalised project URL (no trailing slash) when ok. */
  url?: string;
  /** Why it was refused, written for the user. */
  error?: string;
}

/** Classifies a Supabase API key by its prefix (new keys) or the `role` claim of its JWT payload (legacy keys). */
export function classifyKey(key: string): KeyKind {
  const k = key.trim();
  if (k.startsWith('sb_publishable_')) return 'publishable';
  if (k.startsWith('sb_secret_')) return 'secret';
  const parts = k.split('.');
  if (parts.length === 3) {
    try {
      const payload = JSON.parse(base64UrlDecode(parts[1]!)) as { role?: unknown };
      if (payload.role === 'anon') return 'legacy-anon';
      if (payload.role === 'service_role' || payload.role === 'supabase_admin') return 'legacy-service-role';
    } catch {
      /* not a JWT */
    }
  }
  return 'unknown';
}

function base64UrlDecode(s: string): string {
  return Buffer.from(s, 'base64url').toString('utf8');
}

const SECRET_EXPLANATION =
  'This is a secret (service-role) key. It bypasses Row Level Security: anyone who can read your settings or ' +
  "this machine could read and delete every user's data. Use the project's publishable key instead " +
  '(Dashboard → Project Settings → API Keys: "sb_publishable_…", or the legacy "anon" key).';

export function checkConnection(url: string, key: string): ConnectionCheck {
  const keyKind = classifyKey(key);
  if (keyKind === 'secret' || keyKind === 'legacy-service-role')
    return { ok: false, keyKind, error: SECRET_EXPLANATION };
  if (keyKind === 'unknown')
    return {
      ok: false,
      keyKind,
      error: 'Not a Supabase publishable key: expected "sb_publishable_…" or the legacy anon JWT.',
    };
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return { ok: false, keyKind, error: `Not a URL: "${url}". Expected https://<project-ref>.supabase.co` };
  }
  const local = ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && local))
    return {
      ok: false,
      keyKind,
      error: 'The project URL must use https:// (plain http is only accepted for a local Supabase on localhost).',
    };
  if (u.username || u.password || u.search || u.hash)
    return { ok: false, keyKind, error: 'The project URL must not carry credentials, a query or a fragment.' };
  return { ok: true, keyKind, url: `${u.origin}${u.pathname.replace(/\/+$/, '')}` };
}
