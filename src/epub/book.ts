import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { finished } from 'node:stream/promises';
import yazl from 'yazl';
import { ClearcopyError } from '../errors.js';
import type { ClearDoc } from '../model/document.js';
import { holdTemp } from '../output.js';
import { GENERATOR } from '../version.js';
import { renderChapter, xmlText, type EpubChapter } from './chapter.js';
import type { ImageResolver } from './images.js';
import { localizerFor, sameLanguage } from '../i18n/localizer.js';
import { accessibilitySummary, CONFORMS_TO, SUMMARY_LANGUAGE } from './strings.js';
import { loadEpubTemplates, type EpubTemplates } from './templates.js';

/** Options for {@link createEpubBuilder}. */
export interface EpubOptions {
  /** The book's title (default: the article's title, or "<first title> and N more articles"). */
  title?: string;
  /** A templates folder (default: clearcopy's own; its `epub/` subfolder holds the book's templates). */
  templatesDir?: string;
  /** The language of clearcopy's own words in the book (`--ui-lang`; default: the book's when there is a catalog for it, else English marked `lang="en"`). */
  uiLang?: string;
  /** Finds images for documents given to `add` as ClearDocs (default: none; chapters made elsewhere bring their own). */
  resolveImage?: ImageResolver;
  /** The book's `dcterms:modified` and the zip entries' time (default: now). */
  modified?: Date;
  /** Folder for the book while it is being written (default: the system's temporary folder); on the target's file system, finishing is one rename. */
  tempDir?: string;
}

/** How a chapter entered the book. */
export interface AddOptions {
  /** Its place in the book (input order); chapters may arrive in any order (default: after the last one added). */
  index?: number;
  /** True when the article's reader copy passed the WCAG 2.2 AA audit; a book claims conformance only when every chapter did. */
  auditPassed?: boolean;
}

/** What {@link EpubBuilder.finish} wrote. */
export interface EpubSummary {
  file: string;
  bytes: number;
  chapters: number;
  images: number;
  identifier: string;
  conformsTo?: string;
}

/**
 * Builds one EPUB 3 book as pages arrive: each `add` writes its chapter and images into the zip at
 * once and keeps only what the navigation and package need, so a whole archive never sits in memory.
 * `finish` writes the navigation and package documents and moves the book into place atomically.
 */
export interface EpubBuilder {
  add(item: ClearDoc | EpubChapter, options?: AddOptions): void;
  finish(file: string): Promise<EpubSummary>;
  /** Stops and removes the unfinished book. */
  abort(): Promise<void>;
}

/** What the book keeps of a chapter once its document has been written: all but its document and images. */
interface ChapterEntry extends Omit<EpubChapter, 'xhtml' | 'images'> {
  index: number;
  href: string;
  auditPassed: boolean;
}

const CONTAINER_XML = `<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles>
<rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
</rootfiles>
</container>
`;

/** Starts a book (see {@link EpubBuilder}). Loads the templates now, so a broken one fails before any page. */
export function createEpubBuilder(options: EpubOptions = {}): EpubBuilder {
  const templates = loadEpubTemplates(options.templatesDir);
  const modified = options.modified ?? new Date();
  const temp = path.join(options.tempDir ?? os.tmpdir(), `.clearcopy-book.${process.pid}.${randomBytes(4).toString('hex')}.epub.tmp`);
  // A second Ctrl-C exits at once: the unfinished book goes with the other temporary files.
  const release = holdTemp(temp);
  const zip = new yazl.ZipFile();
  let opened: Promise<void> | undefined;
  let writing: Promise<unknown> | undefined;
  let out: WriteStream | undefined;
  const open = () => {
    if (opened) return;
    // The mimetype comes first, stored, with no extra field, so the file announces itself (OCF 3.3, section 4.3).
    zip.addBuffer(Buffer.from('application/epub+zip'), 'mimetype', { compress: false, mtime: modified, forceDosTimestamp: true });
    add('META-INF/container.xml', CONTAINER_XML);
    add('EPUB/styles.css', templates.css);
    opened = (async () => {
      await mkdir(path.dirname(temp), { recursive: true });
      out = createWriteStream(temp, { flags: 'wx' });
      writing = finished(zip.outputStream.pipe(out));
      writing.catch(() => undefined);
    })();
    opened.catch(() => undefined);
  };
  const add = (name: string, content: string | Uint8Array) => {
    // A stream, not a buffer: yazl lets go of a stream's bytes once written (it keeps buffers to the end).
    const stream = new PassThrough();
    stream.end(typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    zip.addReadStream(stream, name, { mtime: modified, compress: !(content instanceof Uint8Array) });
  };
  const chapters: ChapterEntry[] = [];
  const images = new Map<string, string>(); // href -> media type
  let nextIndex = 0;
  let done = false;

  return {
    add(item, addOptions = {}) {
      if (done) throw new ClearcopyError('USAGE', 'EpubBuilder.add: the book is already finished');
      open();
      const chapter = 'xhtml' in item ? item : renderChapter(item, templates, { ...(options.resolveImage ? { resolveImage: options.resolveImage } : {}), ...(options.uiLang ? { uiLang: options.uiLang } : {}) });
      const index = addOptions.index ?? nextIndex;
      nextIndex = Math.max(nextIndex, index + 1);
      const href = `chapter-${String(index + 1).padStart(5, '0')}.xhtml`;
      if (chapters.some((c) => c.href === href)) throw new ClearcopyError('USAGE', `EpubBuilder.add: a chapter at index ${index} was already added`);
      add(`EPUB/${href}`, chapter.xhtml);
      for (const image of chapter.images) {
        if (images.has(image.href)) continue;
        images.set(image.href, image.mediaType);
        add(`EPUB/${image.href}`, image.bytes);
      }
      const { xhtml: _xhtml, images: _images, ...kept } = chapter;
      chapters.push({ ...kept, index, href, auditPassed: addOptions.auditPassed === true });
    },

    async finish(file) {
      if (done) throw new ClearcopyError('USAGE', 'EpubBuilder.finish: the book is already finished');
      if (chapters.length === 0) {
        await this.abort();
        throw new ClearcopyError('NO_ARTICLE', `${file}: no article could be made into a chapter, so no book was written`, { file });
      }
      done = true;
      chapters.sort((a, b) => a.index - b.index);
      const book = bookView(chapters, images, templates, options, modified);
      add('EPUB/nav.xhtml', xmlText(templates.nav(book.nav, { data: { ui: book.ui, uiFormat: 'html' } })));
      add('EPUB/package.opf', xmlText(templates.opf(book.opf)));
      zip.end();
      try {
        await opened;
        await writing;
        await moveInto(temp, path.resolve(file));
      } catch (error) {
        await rm(temp, { force: true }).catch(() => undefined);
        throw new ClearcopyError('OUTPUT_FAILED', `${file}: the book could not be written (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { file, cause: error });
      } finally {
        release();
      }
      const bytes = (await stat(file)).size;
      return { file, bytes, chapters: chapters.length, images: images.size, identifier: book.identifier, ...(book.opf.conformsTo ? { conformsTo: book.opf.conformsTo } : {}) };
    },

    async abort() {
      if (!done) {
        done = true;
        if (opened) {
          await opened.catch(() => undefined);
          (zip.outputStream as unknown as PassThrough).destroy();
          out?.destroy();
          await writing?.catch(() => undefined);
        }
      }
      await rm(temp, { force: true }).catch(() => undefined);
      release();
    },
  };
}

/**
 * Makes one book from documents (or chapters made elsewhere), in the order given, and writes it
 * atomically to `file`.
 */
export async function writeEpub(items: Iterable<ClearDoc | EpubChapter> | AsyncIterable<ClearDoc | EpubChapter>, file: string, options: EpubOptions & { auditPassed?: boolean } = {}): Promise<EpubSummary> {
  const builder = createEpubBuilder({ tempDir: path.dirname(path.resolve(file)), ...options });
  try {
    for await (const item of items) builder.add(item, options.auditPassed !== undefined ? { auditPassed: options.auditPassed } : {});
    return await builder.finish(file);
  } catch (error) {
    await builder.abort();
    throw error;
  }
}

/** Renames the finished book over the target; across file systems, copies it beside the target first. */
async function moveInto(temp: string, target: string): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  try {
    await rename(temp, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    const beside = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      await copyFile(temp, beside);
      await rename(beside, target);
    } finally {
      await rm(beside, { force: true });
      await rm(temp, { force: true });
    }
  }
}

/** The views of the navigation and package documents. */
function bookView(chapters: ChapterEntry[], images: Map<string, string>, templates: EpubTemplates, options: EpubOptions, modified: Date) {
  // The book's language is the one most of its articles are in (the first article's on a tie).
  const tally = new Map<string, number>();
  for (const c of chapters) tally.set(c.lang, (tally.get(c.lang) ?? 0) + 1);
  const languages = [...tally.keys()].sort((a, b) => tally.get(b)! - tally.get(a)!);
  const lang = languages[0]!;
  const dir = chapters.find((c) => c.lang === lang)!.dir;
  const ui = localizerFor(templates.catalogs, lang, dir, { uiLang: options.uiLang });
  // A title cannot mark a part of itself as another language: without a catalog, the first article's alone.
  const others = chapters.length - 1;
  const title = options.title?.trim() || (others === 0 || ui.source('epub.bookTitle').marked ? chapters[0]!.title : ui.text('epub.bookTitle', { title: chapters[0]!.title, others }));
  const sum = (key: keyof ChapterEntry['counts']) => chapters.reduce((n, c) => n + c.counts[key], 0);
  const facts = {
    chapters: chapters.length,
    describedImages: sum('describedImages'),
    undescribedImages: sum('undescribedImages'),
    leftOutImages: sum('leftOutImages'),
    tables: sum('tables'),
    audited: chapters.every((c) => c.auditPassed),
    conforms: false,
  };
  facts.conforms = facts.audited && facts.undescribedImages === 0;
  const carriedImages = images.size > 0;
  const features = ['structuralNavigation', 'tableOfContents', 'readingOrder', 'displayTransformability'];
  if (carriedImages && facts.undescribedImages === 0) features.push('alternativeText');
  const single = chapters.length === 1 ? chapters[0] : undefined;
  const siteNames = new Set(chapters.map((c) => c.siteName));
  const identifier = uuidFrom(chapters.map((c) => c.identity));
  const chapterViews = chapters.map((c, i) => ({ ...c, id: `c${i + 1}`, ownLang: c.lang !== lang || c.dir !== dir }));
  return {
    identifier,
    nav: { lang, dir, title, chapters: chapterViews, firstChapter: chapterViews[0]!.href },
    ui,
    opf: {
      lang,
      dir,
      rtl: dir === 'rtl',
      identifier,
      title,
      languages,
      creators: [...new Set(chapters.flatMap((c) => c.creators))],
      date: single?.published ? w3cDate(single.published) : undefined,
      publisher: siteNames.size === 1 ? chapters[0]!.siteName : undefined,
      description: single?.dek,
      sources: [...new Set(chapters.map((c) => c.sourceUrl).filter(Boolean))],
      modified: modified.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      accessModes: carriedImages ? ['textual', 'visual'] : ['textual'],
      // Text alone is enough when every carried image has a description; otherwise the pictures are needed too.
      accessModesSufficient: !carriedImages ? ['textual'] : facts.undescribedImages === 0 ? ['textual', 'textual,visual'] : ['textual,visual'],
      accessibilityFeatures: features,
      accessibilitySummary: accessibilitySummary(facts),
      // The summary is written in English only: marked as such in a book in another language.
      summaryLang: sameLanguage(lang, SUMMARY_LANGUAGE) ? undefined : SUMMARY_LANGUAGE,
      conformsTo: facts.conforms ? CONFORMS_TO : undefined,
      generator: GENERATOR,
      chapters: chapterViews,
      images: [...images].map(([href, mediaType], i) => ({ id: `img${i + 1}`, href, mediaType })),
    },
  };
}

/** A W3C date (dc:date): the date, or the date and time in UTC, of an ISO 8601 value; undefined when it is not one. */
function w3cDate(iso: string): string | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const time = Date.parse(iso);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A name-based UUID (RFC 9562 version 5 layout, SHA-1) of the inputs, in order: the same inputs make the same identifier. */
export function uuidFrom(parts: readonly string[]): string {
  const hash = createHash('sha1').update('clearcopy-epub\n').update(parts.join('\n')).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
