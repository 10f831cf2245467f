import type { Block, ClearDoc, FigureBlock, HeadingBlock } from '../model/document.js';
import { clearcopyFinding } from '../model/finding.js';
import { forEachBlock, plainText, sameWords } from '../model/text.js';
import { captionAfterImage, dropBareUrls, dropCallsToAction, dropCreditLines, dropDatelines, dropDisclaimers, dropEmbedConsent, dropEdgeLinkLines, dropEndMatter, dropPostMetadata, dropRelatedLinks, dropSiteFurniture } from './boilerplate.js';
import { oneStopPerAddress } from './links.js';
import { figureWordsOnce } from './figure-words.js';

export { captionAfterImage, dropBareUrls, dropCallsToAction, dropCreditLines, dropDatelines, dropDisclaimers, dropEmbedConsent, dropEdgeLinkLines, dropEndMatter, dropPostMetadata, dropRelatedLinks, dropSiteFurniture } from './boilerplate.js';
export { oneStopPerAddress } from './links.js';
export { figureWordsOnce } from './figure-words.js';

/** One small step on the document after extraction. */
export interface NormalizeStep {
  name: string;
  run(doc: ClearDoc): void;
}

/** Removes body blocks that repeat the headline, dek or byline (Readability often keeps them). */
export const dropRepeatedHeader: NormalizeStep = {
  name: 'drop-repeated-header',
  run(doc) {
    const repeats = [doc.meta.title, doc.meta.dek, doc.meta.byline].filter(Boolean) as string[];
    // Only look at the first few blocks: the header sits at the top.
    for (let i = 0; i < Math.min(4, doc.blocks.length); i++) {
      const block = doc.blocks[i]!;
      if ((block.kind === 'heading' || block.kind === 'paragraph') && repeats.some((r) => sameWords(plainText(block.content), r))) {
        doc.blocks.splice(i, 1);
        i--;
      }
    }
  },
};

/**
 * Makes heading levels start at 2 (the headline is the only h1) and never skip a level
 * (WCAG 1.3.1 / 2.4.6): each heading is at most one deeper than the one before it.
 */
export const fixHeadingLevels: NormalizeStep = {
  name: 'heading-levels',
  run(doc) {
    const headings: HeadingBlock[] = [];
    forEachBlock(doc.blocks, (block) => {
      if (block.kind === 'heading') headings.push(block);
    });
    const stack: { from: number; to: number }[] = [];
    for (const heading of headings) {
      while (stack.length && stack.at(-1)!.from >= heading.level) stack.pop();
      const parent = stack.at(-1);
      const to = parent ? Math.min(parent.to + 1, 6) : 2;
      stack.push({ from: heading.level, to });
      heading.level = to;
    }
  },
};

/** Records a finding for every informative image whose description could not be recovered. */
export const reportUndescribedImages: NormalizeStep = {
  name: 'undescribed-images',
  run(doc) {
    let index = 0;
    forEachBlock(doc.blocks, (block) => {
      if (block.kind !== 'figure') return;
      index++;
      if (block.needsDescription) {
        doc.findings.push(clearcopyFinding('needs-human-description',
          `Image ${index} (${shortUrl(block.image.src)}) has no alt text or caption in the archived page; it needs a human description (clearcopy never invents one).`,
          'warning', { selector: `main figure:nth-of-type(${index})`, context: block.image.src }));
      }
    });
  },
};

/** Drops figures that show the same image twice in a row (lazy-load markup plus its <noscript> copy). */
export const dropDuplicateFigures: NormalizeStep = {
  name: 'duplicate-figures',
  run(doc) {
    const dedupe = (blocks: Block[]) => {
      for (let i = blocks.length - 1; i > 0; i--) {
        const a = blocks[i - 1]!;
        const b = blocks[i]!;
        if (a.kind === 'figure' && b.kind === 'figure' && sameImage(a, b)) blocks.splice(a.caption || a.credit ? i : i - 1, 1);
      }
    };
    dedupe(doc.blocks);
  },
};

function sameImage(a: FigureBlock, b: FigureBlock): boolean {
  if (!a.image.src || !b.image.src) return false; // images left out: nothing to compare
  const key = (src: string) => src.replace(/[?#].*$/, '').replace(/[-_]\d+x\d+(?=\.\w+$)/, '');
  return key(a.image.src) === key(b.image.src);
}

/** The ordered list of normalisation steps. Order matters: header repeats go before heading levels are computed. */
export const NORMALIZE_STEPS: readonly NormalizeStep[] = [
  dropRepeatedHeader,
  dropBareUrls,
  dropDatelines,
  captionAfterImage,
  dropRelatedLinks,
  dropCallsToAction,
  dropEndMatter,
  dropSiteFurniture,
  dropEmbedConsent,
  dropPostMetadata,
  dropCreditLines,
  dropDisclaimers,
  dropEdgeLinkLines,
  figureWordsOnce,
  dropDuplicateFigures,
  oneStopPerAddress,
  fixHeadingLevels,
  reportUndescribedImages,
];

/** Runs the normalisation steps in order. */
export function normalize(doc: ClearDoc, steps: readonly NormalizeStep[] = NORMALIZE_STEPS): ClearDoc {
  for (const step of steps) step.run(doc);
  return doc;
}

function shortUrl(url: string): string {
  if (url.startsWith('data:')) return 'embedded image';
  return url.length > 80 ? `${url.slice(0, 77)}…` : url;
}
