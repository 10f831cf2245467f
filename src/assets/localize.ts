// The stage that makes a copy's images work offline: every image a copy shows is read from where
// the page came from (see resolve.ts), checked to be a raster image, and written once under the
// output folder by its content hash; the copy points at that file. An image that cannot be found is
// left out and its description and credit stay as text.
import { createHash } from 'node:crypto';
import { forEachBlock } from '../model/text.js';
import type { ClearDoc, FigureBlock } from '../model/document.js';
import { clearcopyFinding } from '../model/finding.js';
import { findResource } from './resolve.js';
import { looksLikeSvg, sanitizeSvg } from './svg.js';

/** Options for {@link localizeImages}. */
export interface ImageOptions {
  /**
   * `local` (default): images are read from the page's archive, MHTML file or folder and written
   * under `assets/`; one not found is left out. `remote`: images keep their original addresses.
   */
  mode?: 'local' | 'remote';
  /** Largest image accepted, in bytes (default: 15 MiB). */
  maxImageBytes?: number;
}

/** The folder, relative to the copies, that images are written to. */
export const ASSETS_DIR = 'assets';

export const DEFAULT_MAX_IMAGE_BYTES = 15 * 1024 * 1024;

/** An image to write: `file` is relative to the output folder (`assets/<sha256>.<ext>`). */
export interface Asset {
  file: string;
  bytes: Uint8Array;
}

/** What {@link localizeImages} did. */
export interface LocalizedImages {
  /** The files to write (each once, however many figures show it). */
  assets: Asset[];
  /** Figures whose image was found and written. */
  found: number;
  /** Figures whose image was left out. */
  leftOut: number;
}

/** Raster formats a copy may show as they are, by their first bytes (SVG only once made inert). */
const RASTER_SIGNATURES: { ext: string; test: (b: Uint8Array) => boolean }[] = [
  { ext: 'png', test: (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 },
  { ext: 'jpg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { ext: 'gif', test: (b) => b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38 },
  { ext: 'webp', test: (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP' },
  { ext: 'avif', test: (b) => ascii(b, 4, 8) === 'ftyp' && /^avi[fs]$/.test(ascii(b, 8, 12)) },
];

/** The file extension of a raster image from its bytes, or undefined for anything else (SVG, HTML, script). */
export function rasterExtension(bytes: Uint8Array): string | undefined {
  return RASTER_SIGNATURES.find((signature) => signature.test(bytes))?.ext;
}

/**
 * Makes every figure of `doc` show an image from the output folder: for each, its `src` and then
 * its `srcset` candidates (largest first) are looked up in `doc.source.resources`, the first raster
 * image (or SVG, made inert by `sanitizeSvg`) found is named by its SHA-256 and the figure points at `assets/<sha256>.<ext>` (its srcset
 * dropped). A figure whose image is not found is marked `imageLeftOut` (its alt text and credit stay
 * as text) with a finding. In `remote` mode images at web addresses keep them.
 */
export async function localizeImages(doc: ClearDoc, options: ImageOptions = {}): Promise<LocalizedImages> {
  const result: LocalizedImages = { assets: [], found: 0, leftOut: 0 };
  const maxBytes = options.maxImageBytes ?? DEFAULT_MAX_IMAGE_BYTES;
  const figures: FigureBlock[] = [];
  // In `remote` mode web addresses stay; files of a page read from disk and data: URLs are still copied.
  const remote = options.mode === 'remote';
  forEachBlock(doc.blocks, (block) => { if (block.kind === 'figure' && !block.imageLeftOut && !(remote && /^https?:/i.test(block.image.src))) figures.push(block); });
  const written = new Map<string, string>(); // source URL → assets file
  const named = new Set<string>();
  for (const figure of figures) {
    let file: string | undefined;
    for (const url of candidatesOf(figure)) {
      file = written.get(url);
      if (file) break;
      const found = doc.source.resources || url.startsWith('data:')
        ? await findResource(doc.source.resources ?? { kind: 'folder', dir: '/nonexistent' }, url, { ...(doc.source.capturedAt ? { near: doc.source.capturedAt } : {}), maxBytes })
        : undefined;
      const image = found ? showable(found.bytes) : undefined;
      if (!image) continue;
      file = `${ASSETS_DIR}/${createHash('sha256').update(image.bytes).digest('hex')}.${image.ext}`;
      written.set(url, file);
      if (!named.has(file)) {
        named.add(file);
        result.assets.push({ file, bytes: image.bytes });
      }
      break;
    }
    if (file) {
      figure.image.src = file;
      delete figure.image.srcset;
      result.found++;
    } else {
      const original = figure.image.src;
      leaveOut(figure);
      result.leftOut++;
      doc.findings.push(clearcopyFinding('image-left-out', `An image of the page is not in ${describeOrigin(doc)} (${shorten(original)}): it is left out, and its description${figure.credit ? ' and credit' : ''} stay as text. Use --remote-images to keep the original address.`, 'notice', { context: shorten(original) }));
    }
  }
  return result;
}

/** The bytes a copy may show for an image: a raster image as it is, an SVG made inert; nothing else. */
function showable(bytes: Uint8Array): { bytes: Uint8Array; ext: string } | undefined {
  const ext = rasterExtension(bytes);
  if (ext) return { bytes, ext };
  if (!looksLikeSvg(bytes)) return undefined;
  const svg = sanitizeSvg(bytes);
  return svg ? { bytes: Buffer.from(svg, 'utf8'), ext: 'svg' } : undefined;
}

/** Marks a figure's image as not shown; its description and credit are kept as text. */
export function leaveOut(figure: FigureBlock): void {
  figure.imageLeftOut = true;
  figure.image.src = '';
  delete figure.image.srcset;
}

/** The figure's image addresses to try, in order: `src`, then the `srcset` candidates, widest first. */
function candidatesOf(figure: FigureBlock): string[] {
  const urls = figure.image.src ? [figure.image.src] : [];
  const parsed = (figure.image.srcset ?? '').split(/,\s+(?=\S)/).map((part) => {
    const [url, descriptor] = part.trim().split(/\s+/, 2);
    return { url: url ?? '', size: Number.parseFloat(descriptor ?? '') || 0 };
  }).filter((candidate) => candidate.url);
  parsed.sort((a, b) => b.size - a.size);
  for (const { url } of parsed) if (!urls.includes(url)) urls.push(url);
  return urls;
}

function describeOrigin(doc: ClearDoc): string {
  switch (doc.source.resources?.kind) {
    case 'archive': return 'the web archive the page came from';
    case 'mhtml': return 'the MHTML file';
    case 'folder': return "the page's folder";
    default: return 'any file clearcopy was given';
  }
}

function shorten(url: string): string {
  return url.length > 120 ? `${url.slice(0, 119)}…` : url;
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}
