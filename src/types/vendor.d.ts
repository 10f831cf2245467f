// Minimal typings for the WHATWG encoding packages jsdom itself uses (they ship none).
declare module 'html-encoding-sniffer' {
  /** The HTML encoding-sniffing algorithm: BOM, transport label, <meta> prescan, then the default. */
  export default function sniff(
    bytes: Uint8Array,
    options?: { transportLayerEncodingLabel?: string; defaultEncoding?: string },
  ): string;
}
declare module 'whatwg-encoding' {
  export function decode(bytes: Uint8Array, encodingName: string): string;
  export function labelToName(label: string): string | null;
  export function getBOMEncoding(bytes: Uint8Array): string | null;
}
