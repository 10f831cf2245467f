import type { ElementContent } from 'hast';
import type { Finding } from './finding.js';

/** Inline content (text, links, emphasis, code…) as a sanitised hast fragment. */
export type Inline = ElementContent[];

/** Where a document came from. */
export interface Source {
  /** A short, file-system-safe name for the outputs (`<name>.html`, `<name>.txt`, `<name>.json`). */
  name: string;
  /** The input's path on disk, when it came from a file. */
  path?: string;
  /** How messages name the input when it is not a file of its own (`archive.wacz#<url>`). */
  label?: string;
  /** The page's own URL (canonical or as archived); used to resolve relative links. */
  url?: string;
  /** The character encoding the bytes were decoded with (WHATWG name, e.g. `UTF-8`, `windows-1252`). */
  charset: string;
  /** When the page was captured by an archive (ISO 8601), for WARC records and Wayback snapshots. */
  capturedAt?: string;
  /** The address the archive captured the page from (WARC-Target-URI, or the Wayback original). */
  originalUrl?: string;
  /** Which archive format it came from (`warc`, `wacz`, `mhtml`, `wayback`), when one. */
  archive?: 'warc' | 'wacz' | 'mhtml' | 'wayback';
  /** Where the page's images can be read from, offline (see `src/assets/`). */
  resources?: ResourceOrigin;
}

/**
 * Where the resources of a loaded page are kept, as plain data (it crosses to worker threads):
 * the web archive it came from, the MHTML file, or the folder of a saved page.
 */
export type ResourceOrigin =
  /** A WARC or WACZ file: each image is the capture of its URL closest in time to the page's. */
  | { kind: 'archive'; file: string }
  /** An MHTML file: each image is the part with its `Content-Location` or `cid:`. */
  | { kind: 'mhtml'; file: string }
  /** A page saved on disk ("Web page, complete"): images are files under `dir` (its `name_files/` folder beside it). */
  | { kind: 'folder'; dir: string };

/** A site's notice that the page is part of an archive ("This article exists as part of the online archive…"). */
export interface ArchiveNotice {
  text: string;
  /** The original address of the archived article, when known. */
  originalUrl?: string;
}

/** What is known about the article besides its body. */
export interface Meta {
  title: string;
  /** Sub-headline / standfirst. */
  dek?: string;
  byline?: string;
  /** Publication date as ISO 8601 (date or date-time), when found. */
  published?: string;
  modified?: string;
  siteName?: string;
  /** BCP 47 language tag of the article. */
  lang: string;
  dir: 'ltr' | 'rtl';
  canonicalUrl?: string;
  archiveNotice?: ArchiveNotice;
  /** Every author named by the page (JSON-LD `author`, author meta tags), in order. */
  authors?: string[];
  /** The site's section for the article ("Business", "Sport"), from `article:section` or JSON-LD `articleSection`. */
  section?: string;
  /** The article's lead image as the page's metadata describes it (JSON-LD `image`, `og:image`). */
  leadImage?: LeadImage;
  /** Where and when a web archive captured the page (e.g. a Wayback Machine snapshot). */
  archive?: ArchiveCapture;
}

/** The lead image named in a page's metadata, with its caption and credit when given. */
export interface LeadImage {
  src: string;
  alt?: string;
  caption?: string;
  credit?: string;
}

/** A web archive's capture of the page. */
export interface ArchiveCapture {
  /** The archive copy's own address (e.g. `https://web.archive.org/web/20191119…/https://…`). */
  url: string;
  /** The address the archive captured. */
  originalUrl?: string;
  /** Capture time as ISO 8601 (UTC), from the archive address's 14-digit timestamp. */
  capturedAt?: string;
}

/** An image of a figure. */
export interface FigureImage {
  src: string;
  srcset?: string;
  /** Alternative text; empty only when nothing describes the image (see `needsDescription`). */
  alt: string;
  width?: number;
  height?: number;
}

export interface HeadingBlock { kind: 'heading'; /** 2–6: the headline is the only level 1. */ level: number; content: Inline }
export interface ParagraphBlock { kind: 'paragraph'; content: Inline }
export interface ListBlock { kind: 'list'; ordered: boolean; start?: number; items: Block[][] }
export interface QuoteBlock { kind: 'quote'; blocks: Block[]; cite?: string }
export interface CodeBlock { kind: 'code'; text: string; language?: string }
export interface RuleBlock { kind: 'rule' }
export interface TableCell { header: boolean; scope?: 'col' | 'row'; colspan?: number; rowspan?: number; content: Inline }
export interface TableRow { section: 'head' | 'body' | 'foot'; cells: TableCell[] }
export interface TableBlock { kind: 'table'; caption?: Inline; rows: TableRow[] }
export interface FigureBlock {
  kind: 'figure';
  image: FigureImage;
  /** The description a listener needs: the alt text, or the caption when there is no alt. */
  description?: string;
  caption?: Inline;
  /**
   * True when the caption says the same words as the alt text: the copy shows the caption but hides
   * it from assistive technology, and the text copy says it once.
   */
  captionRepeatsAlt: boolean;
  /** Who took or owns the image, without a "Photo:" prefix (e.g. `Adnan Abidi/Reuters`). */
  credit?: string;
  /** True when no description could be recovered: the copy shows a marked placeholder. */
  needsDescription: boolean;
  /**
   * True when the image is not shown (not found offline, or dropped as unsafe or a placeholder):
   * the copy keeps the figure with its alt text, caption and credit as text.
   */
  imageLeftOut?: boolean;
}

/** One block of the article body. */
export type Block =
  | HeadingBlock
  | ParagraphBlock
  | ListBlock
  | QuoteBlock
  | CodeBlock
  | RuleBlock
  | TableBlock
  | FigureBlock;

/** The one document every stage after extraction works on. */
export interface ClearDoc {
  source: Source;
  meta: Meta;
  blocks: Block[];
  findings: Finding[];
}
