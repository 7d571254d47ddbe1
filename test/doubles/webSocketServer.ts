/**
 * The server side of RFC 6455 WebSockets, just enough for the Kubernetes API TEST DOUBLE: the opening handshake with
 * subprotocol choice, masked client frames in, unmasked frames out, ping/pong and the close handshake. Written here
 * (not taken from a library) so the double depends only on Node; the client side is the real `ws` inside client-node.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export interface ServerWebSocket {
  readonly protocol: string;
  send(data: Buffer): void;
  /** Sends a close frame and ends the connection. */
  close(code?: number): void;
  /** Drops the TCP connection without a close frame, like a node that vanished. */
  destroy(): void;
  onMessage(handler: (data: Buffer) => void): void;
  onClose(handler: () => void): void;
}

/** Completes the handshake on an 'upgrade' request, choosing the first of `protocols` the client offered; undefined (and a 400) if none. */
export function acceptWebSocket(req: IncomingMessage, socket: Duplex, protocols: readonly string[]): ServerWebSocket | undefined {
  const key = req.headers['sec-websocket-key'];
  const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  const protocol = protocols.find((p) => offered.includes(p));
  if (typeof key !== 'string' || !protocol) {
    socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
    return undefined;
  }
  const accept = createHash('sha1').update(key + GUID).digest('base64');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: ${protocol}\r\n\r\n`);

  const messageHandlers: ((data: Buffer) => void)[] = [];
  const closeHandlers: (() => void)[] = [];
  let buffered = Buffer.alloc(0);
  let fragments: Buffer[] = [];
  let closed = false;

  const frame = (opcode: number, payload: Buffer): Buffer => {
    const len = payload.length;
    const head = len < 126 ? Buffer.from([0x80 | opcode, len]) : len < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
    if (len >= 126) {
      head[0] = 0x80 | opcode;
      head[1] = len < 65536 ? 126 : 127;
      if (len < 65536) head.writeUInt16BE(len, 2);
      else head.writeBigUInt64BE(BigInt(len), 2);
    }
    return Buffer.concat([head, payload]);
  };
  const write = (opcode: number, payload: Buffer) => {
    if (!closed && !socket.destroyed) socket.write(frame(opcode, payload));
  };

  const ws: ServerWebSocket = {
    protocol,
    send: (data) => write(0x2, data),
    close(code = 1000) {
      const payload = Buffer.alloc(2);
      payload.writeUInt16BE(code, 0);
      write(0x8, payload);
      closed = true;
      socket.end();
    },
    destroy() {
      closed = true;
      socket.destroy();
    },
    onMessage: (h) => void messageHandlers.push(h),
    onClose: (h) => void closeHandlers.push(h),
  };

  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (;;) {
      if (buffered.length < 2) return;
      const fin = (buffered[0]! & 0x80) !== 0;
      const opcode = buffered[0]! & 0x0f;
      const masked = (buffered[1]! & 0x80) !== 0;
      let len = buffered[1]! & 0x7f;
      let offset = 2;
      if (len === 126) {
        if (buffered.length < 4) return;
        len = buffered.readUInt16BE(2);
        offset = 4;
      } else if (len === 127) {
        if (buffered.length < 10) return;
        len = Number(buffered.readBigUInt64BE(2));
        offset = 10;
      }
      const maskKey = masked ? buffered.subarray(offset, offset + 4) : undefined;
      if (masked) offset += 4;
      if (buffered.length < offset + len) return;
      const payload = Buffer.from(buffered.subarray(offset, offset + len));
      buffered = buffered.subarray(offset + len);
      if (maskKey) for (let i = 0; i < payload.length; i++) payload[i]! ^= maskKey[i % 4]!;

      if (opcode === 0x8) {
        if (!closed) ws.close(payload.length >= 2 ? payload.readUInt16BE(0) : 1000);
        return;
      }
      if (opcode === 0x9) write(0xa, payload);
      if (opcode === 0x1 || opcode === 0x2 || opcode === 0x0) {
        fragments.push(payload);
        if (fin) {
          const message = Buffer.concat(fragments);
          fragments = [];
          for (const h of messageHandlers) h(message);
        }
      }
    }
  });
  socket.on('error', () => socket.destroy());
  socket.on('close', () => {
    closed = true;
    for (const h of closeHandlers) h();
  });
  return ws;
}
