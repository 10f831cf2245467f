import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_MAX_BYTES } from '../defaults.js';
import { ClearcopyError } from '../errors.js';
import type { Source } from '../model/document.js';
import { decodeHtml } from './decode.js';
import { unwrapWayback } from './wayback.js';

/** An input page ready for extraction. */
export interface LoadedPage {
  html: string;
  source: Source;
}

/** Options for {@link loadFile}. */
export interface LoadOptions {
  /** Largest input accepted, in bytes (default: 30 MiB). */
  maxBytes?: number;
}

export { DEFAULT_MAX_BYTES };

/** Extensions clearcopy treats as HTML pages when it walks a folder. */
export const HTML_EXTENSIONS = ['.html', '.htm', '.xhtml'];

/**
 * Reads one HTML file and decodes it with the page's own charset.
 * Throws a {@link ClearcopyError} naming the file when it is missing, empty, too big or binary.
 */
export async function loadFile(file: string, options: LoadOptions = {}): Promise<LoadedPage> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  let bytes: Buffer;
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw new ClearcopyError('INPUT_UNREADABLE', `${file}: is a folder, not an HTML file`, { file });
    if (info.size > maxBytes) {
      throw new ClearcopyError('INPUT_UNREADABLE', `${file}: ${info.size} bytes is over the ${maxBytes}-byte limit (raise it with --max-bytes)`, { file });
    }
    bytes = await readFile(file);
  } catch (error) {
    if (error instanceof ClearcopyError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ClearcopyError('INPUT_NOT_FOUND', `${file}: no such file`, { file, cause: error });
    throw new ClearcopyError('INPUT_UNREADABLE', `${file}: cannot be read (${code ?? String(error)})`, { file, cause: error });
  }
  return loadBytes(bytes, { path: file, name: path.basename(file).replace(/\.[^.]+$/, '') });
}

/** Decodes bytes from any origin into a {@link LoadedPage}; `path` (optional) names the input in errors. */
export function loadBytes(
  bytes: Uint8Array,
  origin: { name: string; path?: string; url?: string; transportCharset?: string; label?: string },
): LoadedPage {
  const label = origin.label ?? origin.path ?? origin.url ?? origin.name;
  if (isBlank(bytes)) {
    throw new ClearcopyError('INPUT_EMPTY', `${label}: the file is empty; there is no page to copy`, { file: origin.path });
  }
  if (looksBinary(bytes)) {
    throw new ClearcopyError('INPUT_NOT_HTML', `${label}: this is binary data, not an HTML page`, { file: origin.path });
  }
  const decoded = decodeHtml(bytes, { transportCharset: origin.transportCharset });
  const source: Source = { name: origin.name, charset: decoded.charset };
  if (origin.path) source.path = origin.path;
  const url = origin.url ?? (origin.path ? pathToFileURL(path.resolve(origin.path)).href : undefined);
  if (url) source.url = url;
  const wayback = unwrapWayback(decoded.html);
  if (!wayback) return { html: decoded.html, source };
  source.archive = 'wayback';
  if (wayback.capturedAt) source.capturedAt = wayback.capturedAt;
  if (wayback.originalUrl) {
    source.originalUrl = wayback.originalUrl;
    source.url = wayback.originalUrl; // relative links resolve against the original site
  }
  return { html: wayback.html, source };
}

/** True for zero bytes or only ASCII whitespace. */
function isBlank(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) return false;
  return true;
}

/** Known binary signatures, or many control bytes in the first block: not a page in any text encoding. */
function looksBinary(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 8);
  const signatures = [
    [0x89, 0x50, 0x4e, 0x47], // PNG
    [0xff, 0xd8, 0xff], // JPEG
    [0x47, 0x49, 0x46, 0x38], // GIF
    [0x25, 0x50, 0x44, 0x46], // PDF
    [0x50, 0x4b, 0x03, 0x04], // ZIP
    [0x1f, 0x8b], // gzip
  ];
  if (signatures.some((sig) => sig.every((b, i) => head[i] === b))) return true;
  if ((bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0xff && bytes[1] === 0xfe)) return false;
  // Text in any HTML encoding has almost no C0 control bytes besides tab, LF, FF and CR
  // (UTF-16 was let through above by its BOM); random or compressed data has about 10%.
  const block = bytes.subarray(0, 8192);
  let controls = 0;
  for (const byte of block) if (byte < 0x09 || (byte > 0x0d && byte < 0x20 && byte !== 0x1b)) controls++;
  return controls > block.length * 0.02;
}
