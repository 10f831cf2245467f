import sniffEncoding from 'html-encoding-sniffer';
import { decode, labelToName } from 'whatwg-encoding';

/** Decoded HTML and the encoding that decoded it. */
export interface DecodedHtml {
  html: string;
  /** WHATWG encoding name, e.g. `UTF-8`, `windows-1252`, `Shift_JIS`. */
  charset: string;
}

/**
 * Decodes page bytes as a browser would (WHATWG "encoding sniffing"): a BOM wins, then the
 * transport charset (HTTP/WARC header), then a `<meta charset>` prescan of the first 1024 bytes,
 * then `defaultEncoding` (windows-1252, the web's legacy default). Uses the same packages as jsdom,
 * so bytes like 0x93 in windows-1252 become curly quotes, not C1 controls.
 */
export function decodeHtml(
  bytes: Uint8Array,
  options: { transportCharset?: string; defaultEncoding?: string } = {},
): DecodedHtml {
  const transport = options.transportCharset ? labelToName(options.transportCharset) ?? undefined : undefined;
  const charset = sniffEncoding(bytes, {
    transportLayerEncodingLabel: transport,
    defaultEncoding: options.defaultEncoding ?? 'windows-1252',
  });
  return { html: decode(bytes, charset), charset };
}
