import { Disposable } from '../shared/disposable';
import { Emitter } from '../shared/event';
import { type RequestEnvelope, type ResponseEnvelope, sessionGet } from '../shared/protocol';

/**
 * The store's view of the status bar's session (its Privacy Guard findings per category), for the tooltip: asked
 * of the dashboard's RPC when the session changes or a scan committed, never per transcript line.
 */
export class LiveSessionFacts extends Disposable {
  private readonly _onDidChange = this._register(new Emitter<void>());
  readonly onDidChange = this._onDidChange.event;
  private sessionId: string | undefined;
  private findings: Record<string, number> | undefined;
  private generation = 0;

  constructor(private readonly dispatch: (r: RequestEnvelope) => Promise<ResponseEnvelope>) {
    super();
  }

  /** Findings per category of the session, if it is the one followed and the store has it. */
  findingsOf(sessionId: string | undefined): Record<string, number> | undefined {
    return sessionId !== undefined && sessionId === this.sessionId ? this.findings : undefined;
  }

  /** Follows this session (the status bar's); a new one is read at once. */
  follow(sessionId: string | undefined): void {
    if (sessionId === this.sessionId) return;
    this.sessionId = sessionId;
    this.findings = undefined;
    void this.reload();
  }

  /** A scan committed: the followed session's counts may have grown. */
  async reload(): Promise<void> {
    const id = this.sessionId;
    const gen = ++this.generation;
    if (!id) return;
    const r = await this.dispatch({ type: 'request', id: 0, method: sessionGet.name, params: { sessionId: id } }).catch(
      () => undefined,
    );
    if (gen !== this.generation || this.isDisposed) return;
    const next = r?.ok ? sessionGet.result.parse(r.result).findingsByCategory : undefined;
    if (JSON.stringify(next) === JSON.stringify(this.findings)) return;
    this.findings = next;
    this._onDidChange.fire();
  }
}
