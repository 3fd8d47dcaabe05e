/**
 * Just enough of Supabase Realtime for the client side: an RFC 6455 WebSocket endpoint at /realtime/v1/websocket
 * (handshake, masked client frames, ping/pong, close) speaking Phoenix serializer vsn 2.0.0 JSON arrays
 * [join_ref, ref, topic, event, payload]: replies to phx_join with the postgres_changes bindings and their ids,
 * records every message, and can push postgres_changes events to a topic.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

export type PhxMessage = [string | null, string | null, string, string, Record<string, unknown>];

export class FakeRealtime {
  readonly received: { url: string; msg: PhxMessage }[] = [];
  readonly connections: { url: string; socket: Duplex }[] = [];
  private nextId = 1000;
  /** topic → binding ids handed out at join */
  readonly joined = new Map<string, { ids: number[]; socket: Duplex }>();

  upgrade(req: IncomingMessage, socket: Duplex): void {
    const url = req.url ?? '';
    if (!url.startsWith('/realtime/v1/websocket')) return void socket.destroy();
    const key = String(req.headers['sec-websocket-key'] ?? '');
    const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    this.connections.push({ url, socket });
    let buf = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const f = parseFrame(buf);
        if (!f) break;
        buf = buf.subarray(f.size);
        if (f.opcode === 0x8) return void socket.end(frame(Buffer.alloc(0), 0x8));
        if (f.opcode === 0x9) socket.write(frame(f.payload, 0xa));
        if (f.opcode === 0x1) this.onText(url, socket, f.payload.toString('utf8'));
      }
    });
    socket.on('error', () => undefined);
  }

  private onText(url: string, socket: Duplex, text: string): void {
    const msg = JSON.parse(text) as PhxMessage;
    this.received.push({ url, msg });
    const [joinRef, ref, topic, event, payload] = msg;
    const reply = (response: Record<string, unknown>) =>
      this.send(socket, [joinRef, ref, topic, 'phx_reply', { status: 'ok', response }]);
    if (event === 'phx_join') {
      const cfg = (payload.config ?? {}) as {
        postgres_changes?: { event: string; schema: string; table?: string; filter?: string }[];
      };
      const bindings = (cfg.postgres_changes ?? []).map((b) => ({ ...b, id: this.nextId++ }));
      this.joined.set(topic, { ids: bindings.map((b) => b.id), socket });
      reply({ postgres_changes: bindings });
    } else if (event === 'heartbeat' || event === 'access_token' || event === 'phx_leave') reply({});
  }

  send(socket: Duplex, msg: PhxMessage): void {
    socket.write(frame(Buffer.from(JSON.stringify(msg), 'utf8'), 0x1));
  }

  /** Push a postgres_changes event (as Realtime does after checking the subscriber's RLS). */
  pushChange(
    topic: string,
    type: 'INSERT' | 'UPDATE' | 'DELETE',
    record: Record<string, unknown>,
    oldRecord: Record<string, unknown> = {},
  ): void {
    const j = this.joined.get(topic);
    if (!j) throw new Error(`nobody joined ${topic}`);
    const columns = Object.keys({ ...record, ...oldRecord }).map((name) => ({
      name,
      type: typeof (record[name] ?? oldRecord[name]) === 'number' ? 'int4' : 'text',
    }));
    this.send(j.socket, [
      null,
      null,
      topic,
      'postgres_changes',
      {
        ids: j.ids,
        data: {
          schema: 'public',
          table: 'claude_sessions',
          commit_timestamp: new Date().toISOString(),
          type,
          columns,
          record,
          old_record: oldRecord,
          errors: null,
        },
      },
    ]);
  }

  closeAll(): void {
    for (const c of this.connections) c.socket.destroy();
  }
}

function frame(payload: Buffer, opcode: number): Buffer {
  const len = payload.length;
  const head =
    len < 126
      ? Buffer.from([0x80 | opcode, len])
      : len < 65536
        ? Buffer.from([0x80 | opcode, 126, len >> 8, len & 0xff])
        : (() => {
            const h = Buffer.alloc(10);
            h[0] = 0x80 | opcode;
            h[1] = 127;
            h.writeBigUInt64BE(BigInt(len), 2);
            return h;
          })();
  return Buffer.concat([head, payload]);
}

function parseFrame(b: Buffer): { opcode: number; payload: Buffer; size: number } | undefined {
  if (b.length < 2) return undefined;
  const opcode = b[0]! & 0x0f;
  const masked = (b[1]! & 0x80) !== 0;
  let len = b[1]! & 0x7f;
  let off = 2;
  if (len === 126) {
    if (b.length < 4) return undefined;
    len = b.readUInt16BE(2);
    off = 4;
  } else if (len === 127) {
    if (b.length < 10) return undefined;
    len = Number(b.readBigUInt64BE(2));
    off = 10;
  }
  const maskLen = masked ? 4 : 0;
  if (b.length < off + maskLen + len) return undefined;
  const mask = masked ? b.subarray(off, off + 4) : undefined;
  const payload = Buffer.from(b.subarray(off + maskLen, off + maskLen + len));
  if (mask) for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
  return { opcode, payload, size: off + maskLen + len };
}
