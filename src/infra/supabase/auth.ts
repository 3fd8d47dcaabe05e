import type { Session, User } from '@supabase/supabase-js';
import { type AuthStorage, type CctSupabaseClient, DEFAULT_STORAGE_KEY } from './client';

export interface AuthState {
  signedIn: boolean;
  userId?: string;
  email?: string;
  expiresAt?: number;
}

const stateOf = (s: Session | null): AuthState =>
  s
    ? {
        signedIn: true,
        userId: s.user.id,
        ...(s.user.email ? { email: s.user.email } : {}),
        ...(s.expires_at ? { expiresAt: s.expires_at } : {}),
      }
    : { signedIn: false };

/**
 * Sign-in for the extension and the CLI over supabase-js (GoTrue), PKCE flow:
 *  - email one-time code: sendEmailCode → (user types the code) → verifyEmailCode;
 *  - GitHub: githubAuthorizeUrl(redirectTo) opened in the browser → the URI handler gets ?code= → exchangeCode.
 * The session lives in the AuthStorage (SecretStorage in VS Code) under `storageKey`, refreshed automatically.
 */
export class SupabaseAuth {
  constructor(
    readonly client: CctSupabaseClient,
    private readonly storage: AuthStorage,
    private readonly storageKey = DEFAULT_STORAGE_KEY,
  ) {
    const { data } = client.auth.onAuthStateChange((event, session) => {
      this.lastSeenAccessToken = session?.access_token;
      this.fire(stateOf(session), event);
    });
    this.unsubscribe = () => data.subscription.unsubscribe();
  }
  private readonly unsubscribe: () => void;

  /** POST /auth/v1/otp with a PKCE code_challenge. The email template must show {{ .Token }}. */
  async sendEmailCode(email: string, opts: { createUser?: boolean; emailRedirectTo?: string } = {}): Promise<void> {
    const { error } = await this.client.auth.signInWithOtp({
      email: email.trim(),
      options: {
        shouldCreateUser: opts.createUser ?? true,
        ...(opts.emailRedirectTo ? { emailRedirectTo: opts.emailRedirectTo } : {}),
      },
    });
    if (error) throw new AuthError(error.message, error.status);
  }

  /** POST /auth/v1/verify {type:'email'}; stores the session. */
  async verifyEmailCode(email: string, code: string): Promise<AuthState> {
    const { data, error } = await this.client.auth.verifyOtp({
      email: email.trim(),
      token: code.trim(),
      type: 'email',
    });
    if (error || !data.session) throw new AuthError(error?.message ?? 'no session returned', error?.status);
    return stateOf(data.session);
  }

  /** The /auth/v1/authorize URL to open in the browser (no request is made; the PKCE verifier is stored). */
  async githubAuthorizeUrl(redirectTo: string): Promise<string> {
    const { data, error } = await this.client.auth.signInWithOAuth({
      provider: 'github',
      options: { redirectTo, skipBrowserRedirect: true },
    });
    if (error || !data.url) throw new AuthError(error?.message ?? 'no authorize URL', error?.status);
    return data.url;
  }

  /** POST /auth/v1/token?grant_type=pkce {auth_code, code_verifier} with the verifier kept in storage. */
  async exchangeCode(code: string): Promise<AuthState> {
    const { data, error } = await this.client.auth.exchangeCodeForSession(code);
    if (error || !data.session) throw new AuthError(error?.message ?? 'no session returned', error?.status);
    return stateOf(data.session);
  }

  async state(): Promise<AuthState> {
    const { data } = await this.client.auth.getSession();
    return stateOf(data.session);
  }

  async user(): Promise<User | null> {
    const { data } = await this.client.auth.getSession();
    return data.session?.user ?? null;
  }

  onDidChange(listener: (s: AuthState, event: string) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /**
   * Another window (sharing the same SecretStorage) refreshed, replaced or removed the session. supabase-js reads
   * the session from storage on every request, so REST calls pick the new tokens up by themselves; what does not
   * follow is this instance's state: listeners and the Realtime socket's token. Call this from
   * SecretStorage.onDidChange: it re-points Realtime, notifies listeners, and never refreshes on its own — with
   * refresh-token rotation a second refresh of an already-rotated token fails as "already used".
   */
  async adoptStoredSession(): Promise<'adopted' | 'unchanged' | 'signed-out'> {
    const raw = await this.storage.getItem(this.storageKey);
    let stored: { access_token?: string; user?: { id?: string } } | null = null;
    try {
      stored = raw ? JSON.parse(raw) : null;
    } catch {
      stored = null;
    }
    if (!stored?.access_token) {
      if (this.lastSeenAccessToken === undefined) return 'unchanged';
      this.lastSeenAccessToken = undefined;
      await this.client.auth.signOut({ scope: 'local' }).catch(() => undefined);
      this.fire({ signedIn: false }, 'ADOPTED_SIGN_OUT');
      return 'signed-out';
    }
    if (stored.access_token === this.lastSeenAccessToken) return 'unchanged';
    this.lastSeenAccessToken = stored.access_token;
    await this.client.realtime.setAuth(stored.access_token);
    const { data } = await this.client.auth.getSession();
    this.fire(stateOf(data.session), 'ADOPTED');
    return 'adopted';
  }

  private lastSeenAccessToken: string | undefined;
  private readonly listeners = new Set<(s: AuthState, event: string) => void>();
  private fire(s: AuthState, event: string): void {
    for (const l of [...this.listeners]) l(s, event);
  }

  /** Signs out this device (scope local: other devices stay signed in) and removes every stored auth key. */
  async signOut(): Promise<void> {
    await this.client.auth.signOut({ scope: 'local' });
    for (const suffix of ['', '-code-verifier', '-user']) await this.storage.removeItem(`${this.storageKey}${suffix}`);
    await this.client.auth.stopAutoRefresh();
  }

  /** rpc('delete_my_data'): deletes every row the caller owns on the server (GDPR). */
  async deleteMyRemoteData(): Promise<{ interactions: number; sessions: number; teams: number; memberships: number }> {
    const { data, error } = await this.client.rpc('delete_my_data');
    if (error) throw new AuthError(`${error.code ?? ''} ${error.message}`.trim(), undefined);
    return data as { interactions: number; sessions: number; teams: number; memberships: number };
  }

  dispose(): void {
    this.unsubscribe();
    this.listeners.clear();
    void this.client.auth.stopAutoRefresh();
  }
}

export class AuthError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}
