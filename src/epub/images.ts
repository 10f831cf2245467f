import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Source } from '../model/document.js';

/** An image's bytes and media type, as a book can carry it. */
export interface ResolvedImage {
  bytes: Uint8Array;
  mediaType: string;
}

/**
 * Finds the bytes of an image the article names by address: from the archive the page came from,
 * a file beside the input, or a `data:` URL. `undefined` when the image is not at hand (the book
 * then keeps its description as text, and never fetches it).
 */
export type ImageResolver = (url: string) => ResolvedImage | undefined;

/** Largest image a book carries (bigger ones are left out as text). */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

/**
 * Raster formats every EPUB reading system must show (EPUB 3 core media types that EPUBCheck 4
 * accepts without a fallback), told by their first bytes rather than by a name or a header.
 */
export function sniffImageType(bytes: Uint8Array): 'image/png' | 'image/jpeg' | 'image/gif' | undefined {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47 && bytes[4] === 0x0d && bytes[5] === 0x0a && bytes[6] === 0x1a && bytes[7] === 0x0a) return 'image/png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 6 && String.fromCharCode(...bytes.subarray(0, 6)).match(/^GIF8[79]a$/)) return 'image/gif';
  return undefined;
}

/** The file extension of a core image media type. */
export function imageExtension(mediaType: string): string {
  return mediaType === 'image/jpeg' ? 'jpg' : mediaType.replace(/^image\//, '');
}

/** Images given inline as base64 `data:` URLs (PNG, JPEG or GIF). */
export const dataUrlImages: ImageResolver = (url) => {
  const match = /^data:image\/[a-z+.-]+;base64,([a-z0-9+/=]+)$/i.exec(url);
  if (!match) return undefined;
  const bytes = new Uint8Array(Buffer.from(match[1]!, 'base64'));
  const mediaType = sniffImageType(bytes);
  return mediaType && bytes.length <= MAX_IMAGE_BYTES ? { bytes, mediaType } : undefined;
};

/**
 * Images saved beside an input file ("Save page as…" keeps them in `<name>_files/`): the `file:`
 * address extraction keeps for them (`ExtractOptions.localImages`), read only when it lies inside
 * the input's folder. Nothing is fetched.
 */
export function filesBesideInput(source: Pick<Source, 'path'>): ImageResolver {
  if (!source.path) return () => undefined;
  const root = path.resolve(path.dirname(source.path));
  return (url) => {
    if (!url.startsWith('file:')) return undefined;
    let file: string;
    try {
      file = path.resolve(fileURLToPath(url));
    } catch {
      return undefined;
    }
    if (!file.startsWith(root + path.sep)) return undefined;
    try {
      if (statSync(file).size > MAX_IMAGE_BYTES) return undefined;
      const bytes = new Uint8Array(readFileSync(file));
      const mediaType = sniffImageType(bytes);
      return mediaType ? { bytes, mediaType } : undefined;
    } catch {
      return undefined;
    }
  };
}

/** The first resolver that finds the image wins; only core raster formats are kept. */
export function firstImage(...resolvers: readonly (ImageResolver | undefined)[]): ImageResolver {
  return (url) => {
    for (const resolve of resolvers) {
      const found = resolve?.(url);
      if (!found) continue;
      const mediaType = sniffImageType(found.bytes);
      if (mediaType && found.bytes.length <= MAX_IMAGE_BYTES) return { bytes: found.bytes, mediaType };
    }
    return undefined;
  };
}

/** What a page's own inputs can give without an archive: `data:` URLs and files beside the input. */
export function pageImages(source: Pick<Source, 'path'>, archive?: ImageResolver): ImageResolver {
  return firstImage(dataUrlImages, archive, filesBesideInput(source));
}
