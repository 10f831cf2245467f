// Reading ZIP containers (WACZ) with yauzl: the central directory is read once, and each entry is
// streamed on demand, so an archive of gigabytes is never held in memory.
import { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';

/** An open ZIP file: its entry names, and entries read whole, in part or as a stream. */
export interface ZipReader {
  /** Entry names, in the order of the central directory. */
  names(): string[];
  /** True when the archive has this entry. */
  has(name: string): boolean;
  /** The entry's uncompressed bytes as a stream. */
  stream(name: string): Promise<Readable>;
  /** The whole entry (for small entries: pages lists, indexes); rejects past `maxBytes`. */
  read(name: string, maxBytes?: number): Promise<Buffer>;
  /**
   * `length` bytes of the uncompressed entry from `start`: read in place for a stored entry (as
   * WACZ writes its WARCs), inflated up to the range for a compressed one.
   */
  readRange(name: string, start: number, length: number): Promise<Buffer>;
  close(): void;
}

/** Opens a ZIP file; rejects when it is not one. */
export async function openZip(file: string): Promise<ZipReader> {
  const zip = await new Promise<ZipFile>((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true, decodeStrings: true }, (error, opened) => (error ? reject(error) : resolve(opened)));
  });
  const entries = new Map<string, Entry>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: Entry) => {
      if (!entry.fileName.endsWith('/')) entries.set(entry.fileName, entry);
      zip.readEntry();
    });
    zip.once('end', () => resolve());
    zip.once('error', reject);
    zip.readEntry();
  });
  const entryOf = (name: string): Entry => {
    const entry = entries.get(name);
    if (!entry) throw new Error(`the archive has no entry ${name}`);
    return entry;
  };
  const open = (entry: Entry, options: { start?: number; end?: number } = {}) => new Promise<Readable>((resolve, reject) => {
    zip.openReadStream(entry, options, (error, stream) => (error ? reject(error) : resolve(stream)));
  });
  // Streams are always read to their end: yauzl fails when a stream is destroyed while one of its
  // reads is still queued (its file descriptor is gone when the read runs), so a range of a
  // compressed entry inflates the entry to its end and keeps only the range.
  const collect = async (stream: Readable, start: number, length: number, limit: number): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    let position = 0;
    let kept = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const from = Math.max(0, start - position);
      const to = Math.min(chunk.length, start + length - position);
      if (to > from && kept <= limit) {
        chunks.push(chunk.subarray(from, to));
        kept += to - from;
      }
      position += chunk.length;
    }
    if (kept > limit) throw new Error(`entry is over the ${limit}-byte limit`);
    return Buffer.concat(chunks);
  };
  return {
    names: () => [...entries.keys()],
    has: (name) => entries.has(name),
    stream: async (name) => open(entryOf(name)),
    read: async (name, maxBytes = 64 * 1024 * 1024) => {
      const entry = entryOf(name);
      if (entry.uncompressedSize > maxBytes) throw new Error(`${name} is ${entry.uncompressedSize} bytes, over the ${maxBytes}-byte limit`);
      return collect(await open(entry), 0, entry.uncompressedSize, maxBytes);
    },
    readRange: async (name, start, length) => {
      const entry = entryOf(name);
      if (start < 0 || length < 0 || start + length > entry.uncompressedSize) throw new Error(`${name}: bytes ${start}+${length} are outside the entry`);
      if (length === 0) return Buffer.alloc(0);
      if (!entry.isCompressed()) return collect(await open(entry, { start, end: start + length }), 0, length, length);
      return collect(await open(entry), start, length, length);
    },
    close: () => zip.close(),
  };
}
