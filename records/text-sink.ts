import { closeSync, openSync, writeSync } from 'fs';

/** Where a record is written, piece by piece: a file, or a string in memory. */
export interface TextSink {
  write(text: string): void;
}

/** Collects the pieces into one string (tests, callers that want the text). */
export class StringSink implements TextSink {
  private readonly parts: string[] = [];

  public write(text: string): void {
    this.parts.push(text);
  }

  public toString(): string {
    return this.parts.join('');
  }
}

const FLUSH_AT = 1 << 16;

/**
 * Streams a record to a file in 64 KiB writes, so a records pass at thousands of grants never holds a
 * whole document in memory. `close()` must be called (writeRecord does).
 */
export class FileSink implements TextSink {
  private readonly fd: number;
  private pending: string[] = [];
  private size = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  public write(text: string): void {
    this.pending.push(text);
    this.size += text.length;
    if (this.size >= FLUSH_AT) this.flush();
  }

  public close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private flush(): void {
    if (this.pending.length) writeSync(this.fd, this.pending.join(''));
    this.pending = [];
    this.size = 0;
  }
}

/** Writes one record file through `render`, closing it even when rendering fails. */
export function writeRecord(path: string, render: (sink: TextSink) => void): void {
  const sink = new FileSink(path);
  try {
    render(sink);
  } finally {
    sink.close();
  }
}
