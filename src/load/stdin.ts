import { ClearcopyError } from '../errors.js';
import { DEFAULT_MAX_BYTES, loadBytes } from './file.js';
import type { PageSource } from './source.js';

/** The page source for `-`: HTML read from standard input (named `stdin` in outputs). */
export function stdinSource(stream: NodeJS.ReadableStream = process.stdin): PageSource {
  return {
    label: '-',
    rawName: 'stdin',
    async load(options) {
      const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
      const chunks: Buffer[] = [];
      let total = 0;
      for await (const chunk of stream) {
        const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
        total += buffer.byteLength;
        if (total > maxBytes) throw new ClearcopyError('INPUT_UNREADABLE', `stdin: more than ${maxBytes} bytes (raise the limit with --max-bytes)`);
        chunks.push(buffer);
      }
      return loadBytes(Buffer.concat(chunks), { name: 'stdin', label: 'stdin' });
    },
  };
}
