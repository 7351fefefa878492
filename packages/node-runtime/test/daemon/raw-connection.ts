// A bare NDJSON connection to the daemon, for tests that must send what no client would.
import { connect, type Socket } from 'node:net';

export class RawConnection {
  readonly frames: Record<string, unknown>[] = [];
  readonly closed: Promise<void>;
  readonly #socket: Socket;
  #buffer = '';
  #waiters: Array<() => void> = [];

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      this.#buffer += text;
      let newline = this.#buffer.indexOf('\n');
      while (newline !== -1) {
        this.frames.push(JSON.parse(this.#buffer.slice(0, newline)));
        this.#buffer = this.#buffer.slice(newline + 1);
        newline = this.#buffer.indexOf('\n');
      }
      for (const wake of this.#waiters.splice(0)) wake();
    });
    socket.on('error', () => {});
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  static open(path: string): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(path);
      socket.once('connect', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  send(text: string): void {
    this.#socket.write(text);
  }

  request(value: Record<string, unknown>): void {
    this.send(`${JSON.stringify(value)}\n`);
  }

  /** Waits until a frame matches (frames already read count). */
  async waitFor(match: (frame: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    for (;;) {
      const found = this.frames.find(match);
      if (found !== undefined) return found;
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  response(id: number | null): Promise<Record<string, unknown>> {
    return this.waitFor((frame) => 'ok' in frame && frame.id === id);
  }

  /** Events read so far, as `type:jobId`. */
  eventKeys(): string[] {
    return this.frames
      .filter((frame) => 'event' in frame)
      .map((frame) => {
        const event = frame.event as { type: string; jobId?: string; job?: { id: string } };
        return `${event.type}:${event.jobId ?? event.job?.id}`;
      });
  }

  close(): void {
    this.#socket.destroy();
  }
}
