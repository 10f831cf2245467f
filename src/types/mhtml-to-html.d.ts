// The package ships its types (lib/mod.d.ts) but its package.json "exports" does not point at them;
// this names the part clearcopy uses.
declare module 'mhtml-to-html' {
  /** One part of the message. */
  export interface Resource {
    id: string;
    contentType: string;
    transferEncoding?: 'base64' | 'quoted-printable' | '7bit' | '8bit';
    /** Text parts decoded to a string; other parts as base64. */
    data: string;
  }
  export interface MHTML {
    headers: Record<string, string>;
    frames: Record<string, Resource>;
    resources: Record<string, Resource>;
    /** The id of the page's own part. */
    index: string;
  }
  export function parse(data: string | Uint8Array): MHTML;
}
