import { PROTOCOL_VERSION, parseHostToWebview, type StatusSnapshot } from '../../../src/shared/protocol';
import { messagesFor } from '../i18n';
import { rpc } from '../rpc';
import { send } from '../vscodeApi';

/** The webview's state: the last host snapshot (replaced whole, never mutated) plus derived UI values. */
export class DashboardState {
  status = $state.raw<StatusSnapshot | null>(null);
  readonly locale = $derived(this.status?.locale ?? navigator.language);
  readonly t = $derived(messagesFor(this.locale));

  /** Validates and applies one message from the host; invalid ones are dropped and reported. */
  receive(data: unknown): void {
    const parsed = parseHostToWebview(data);
    if (!parsed.ok) {
      console.warn(`[claude-tracer] dropped invalid host message: ${parsed.error}`);
      send({ type: 'log', level: 'warn', message: `dropped invalid host message: ${parsed.error}` });
      return;
    }
    // RPC responses, dataChanged notifications and deep links go to the RPC client (rpc.ts).
    if (rpc.deliver(parsed.message)) return;
    switch (parsed.message.type) {
      case 'snapshot':
        this.status = parsed.message.status;
        break;
    }
  }

  ready(): void {
    send({ type: 'ready', protocol: PROTOCOL_VERSION });
  }

  refresh(): void {
    send({ type: 'refresh' });
  }
}
