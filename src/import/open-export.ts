// Opens an export file for streaming: checks it is text at all (not empty, not binary), picks the
// encoding (UTF-8 with or without a byte-order mark; UTF-16, with or without one, or Windows-1252
// when Excel re-saved it), and hands out its decoded text chunk by chunk with a running count of
// the bytes read, which the progress line turns into a percentage and an ETA.
import { open, type FileHandle } from 'node:fs/promises';
import { TextDecoder } from 'node:util';

export interface ExportText {
  /** The file's size in bytes. */
  readonly size: number;
  /** The first decoded characters (about 64 kB), for recognising the format. */
  readonly head: string;
  /** Bytes read from the file so far. */
  readonly bytesRead: number;
  /** The encoding the text is decoded from. */
  readonly encoding: Encoding;
  /** The whole text, head included, in chunks. Iterate once, this or bytes(). */
  chunks(): AsyncIterable<string>;
  /** The whole file as it is on disk, byte-order mark included, for decoding elsewhere (a worker thread). */
  bytes(): AsyncIterable<Buffer>;
  close(): Promise<void>;
}

/** Why a file is not text we can read. */
export class NotTextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotTextError';
  }
}

const HEAD_BYTES = 64 * 1024;
const CHUNK_BYTES = 1024 * 1024;
/**
 * bytes() hands out smaller chunks: their text, decoded on a worker thread, then stays below V8's
 * large-object size and dies young instead of waiting for a full collection.
 */
const RAW_CHUNK_BYTES = 64 * 1024;

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/**
 * The file's encoding, or NotTextError when it is not text. UTF-16 is told by its byte-order mark,
 * or without one by its NUL bytes: every other byte of mostly-ASCII text. Text that is not valid
 * UTF-8 but has no NUL bytes and few control characters is taken to be Windows-1252, which is what
 * Excel writes when it saves "CSV" outside the UTF-8 option, unless it also has valid multi-byte
 * UTF-8 characters: then it is UTF-8 with some lines in another encoding, and those lines are
 * quarantined (text-problem.ts) instead of every other line being misread.
 */
function encodingOf(head: Buffer): Encoding {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const utf16 = utf16WithoutBom(head);
  if (utf16) return utf16;
  if (head.includes(0)) throw new NotTextError('binary data (it contains NUL bytes), not a text export');
  let control = 0;
  for (const byte of head) if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) control++;
  if (control > head.length / 100) throw new NotTextError('binary data (it is full of control characters), not a text export');
  try {
    // `stream: true` so a multi-byte character cut at the end of the sample is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return 'utf-8';
  } catch {
    return UTF8_MULTIBYTE.test(head.toString('latin1')) ? 'utf-8' : 'windows-1252';
  }
}

/** A well-formed UTF-8 sequence of two to four bytes, in text decoded byte for byte. */
const UTF8_MULTIBYTE = /[\xC2-\xDF][\x80-\xBF]|[\xE0-\xEF][\x80-\xBF]{2}|[\xF0-\xF4][\x80-\xBF]{3}/;

function utf16WithoutBom(head: Buffer): Encoding | null {
  const pairs = Math.floor(head.length / 2);
  if (pairs < 8) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i + 1 < head.length; i += 2) {
    if (head[i] === 0) evenNul++;
    if (head[i + 1] === 0) oddNul++;
  }
  if (oddNul >= pairs * 0.7 && evenNul <= pairs * 0.05) return 'utf-16le';
  if (evenNul >= pairs * 0.7 && oddNul <= pairs * 0.05) return 'utf-16be';
  return null;
}

export async function openExport(path: string): Promise<ExportText> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new NotTextError(`cannot read it: ${describeFsError(error)}`);
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new NotTextError('it is a directory, not a file');
    if (stat.size === 0) throw new NotTextError('the file is empty (0 bytes)');
    const buffer = Buffer.alloc(Math.min(HEAD_BYTES, stat.size));
    const { bytesRead: headBytes } = await handle.read(buffer, 0, buffer.length, 0);
    const headRaw = buffer.subarray(0, headBytes);
    const encoding = encodingOf(headRaw);
    // One decoder for the whole file: it strips the byte-order mark and carries characters cut
    // between chunks over to the next one.
    const decoder = new TextDecoder(encoding);
    const head = decoder.decode(headRaw, { stream: true });
    if (head.trim() === '') throw new NotTextError('the file holds only white space');
    return new OpenedExport(handle, stat.size, head, headBytes, encoding, decoder);
  } catch (error) {
    await handle.close().catch(() => {});
    throw error;
  }
}

class OpenedExport implements ExportText {
  private read: number;
  private used = false;

  constructor(
    private readonly handle: FileHandle,
    readonly size: number,
    readonly head: string,
    private readonly headBytes: number,
    readonly encoding: Encoding,
    private readonly decoder: TextDecoder,
  ) {
    this.read = headBytes;
  }

  get bytesRead(): number {
    return this.read;
  }

  chunks(): AsyncIterable<string> {
    this.use();
    return this.generate();
  }

  bytes(): AsyncIterable<Buffer> {
    this.use();
    return this.readBytes();
  }

  private use(): void {
    if (this.used) throw new Error('an export may be iterated once');
    this.used = true;
  }

  private async *readBytes(): AsyncGenerator<Buffer> {
    this.read = 0;
    const stream = this.handle.createReadStream({ start: 0, highWaterMark: RAW_CHUNK_BYTES, autoClose: false });
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      this.read += chunk.length;
      yield chunk;
    }
  }

  private async *generate(): AsyncGenerator<string> {
    if (this.head) yield this.head;
    if (this.headBytes < this.size) {
      const stream = this.handle.createReadStream({ start: this.headBytes, highWaterMark: CHUNK_BYTES, autoClose: false });
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        this.read += chunk.length;
        const text = this.decoder.decode(chunk, { stream: true });
        if (text) yield text;
      }
    }
    const rest = this.decoder.decode();
    if (rest) yield rest;
  }

  async close(): Promise<void> {
    await this.handle.close().catch(() => {});
  }
}

function describeFsError(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return error instanceof Error ? error.message : String(error);
}
