import sniffEncoding from 'html-encoding-sniffer';
import { decode, labelToName } from 'whatwg-encoding';

/** Decoded HTML and the encoding that decoded it. */
export interface DecodedHtml {
  html: string;
  /** WHATWG encoding name, e.g. `UTF-8`, `windows-1252`, `Shift_JIS`. */
  charset: string;
}

const NOT_FOUND = 'x-clearcopy-not-found';

/**
 * Decodes page bytes as a browser would, following the WHATWG encoding-sniffing algorithm with the
 * packages jsdom uses (so 0x93 in windows-1252 is a curly quote, not a C1 control):
 * 1. a byte order mark; 2. the transport charset (HTTP or WARC header); 3. the `<meta charset>`
 * prescan of the first 1024 bytes; then, as the spec allows browsers to do, 4. a late `<meta>`
 * declaration further into the head (archived pages often put 1 KB of scripts first) and
 * 5. autodetection of valid UTF-8; and finally 6. `defaultEncoding` (windows-1252, the web's default).
 */
export function decodeHtml(
  bytes: Uint8Array,
  options: { transportCharset?: string; defaultEncoding?: string } = {},
): DecodedHtml {
  const transport = options.transportCharset ? labelToName(options.transportCharset) ?? undefined : undefined;
  let charset = sniffEncoding(bytes, { transportLayerEncodingLabel: transport, defaultEncoding: NOT_FOUND });
  if (charset === NOT_FOUND) charset = lateMetaCharset(bytes) ?? (isUtf8(bytes) ? 'UTF-8' : options.defaultEncoding ?? 'windows-1252');
  return { html: decode(bytes, charset), charset };
}

/** A charset declared by a `<meta>` in the first 64 KiB, past the standard 1024-byte prescan. */
export function lateMetaCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 65536)).toString('latin1');
  const end = head.search(/<body[\s>]/i);
  const scope = end > 0 ? head.slice(0, end) : head;
  const match = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([\w.:-]+)/i.exec(scope);
  const name = match?.[1] ? labelToName(match[1]) : undefined;
  // As in the prescan, a UTF-16 declaration in bytes that are readable as ASCII means UTF-8.
  return name === 'UTF-16LE' || name === 'UTF-16BE' ? 'UTF-8' : name ?? undefined;
}

/** True when the bytes hold non-ASCII text that is valid UTF-8 (pure ASCII proves nothing). */
export function isUtf8(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 1 << 20);
  let nonAscii = false;
  for (const byte of sample) if (byte > 0x7f) { nonAscii = true; break; }
  if (!nonAscii) return false;
  // A sample cut in the middle of a character is still UTF-8: trim a partial sequence at the end.
  let end = sample.length;
  if (sample.length < bytes.length) while (end > 0 && (sample[end - 1]! & 0xc0) === 0x80) end--;
  if (end < sample.length && end > 0 && sample[end - 1]! >= 0xc0) end--;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}
