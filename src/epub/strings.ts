// Every sentence clearcopy itself writes into a book, in one place (to become message-catalog keys).

/** Fixed labels of the navigation document. */
export const NAV_STRINGS = {
  contents: 'Contents',
  landmarks: 'Landmarks',
  start: 'Start of the first article',
} as const;

/** The book's title when a collection has no `--title`: "<first title> and 2 more articles". */
export function collectionTitle(firstTitle: string, others: number): string {
  return others === 0 ? firstTitle : `${firstTitle} and ${others} more ${others === 1 ? 'article' : 'articles'}`;
}

/** What the accessibility summary is made from. */
export interface SummaryFacts {
  chapters: number;
  /** Images the book carries, with a text description. */
  describedImages: number;
  /** Images carried with no description (the page gave none): a person must describe them. */
  undescribedImages: number;
  /** Images not at hand, left out: their description and credit are in the text instead. */
  leftOutImages: number;
  tables: number;
  /** Every chapter's reader copy passed the WCAG 2.2 AA audit (pa11y: HTML_CodeSniffer and axe). */
  audited: boolean;
  conforms: boolean;
}

/** The `schema:accessibilitySummary`: what was done, and what still needs a person. */
export function accessibilitySummary(facts: SummaryFacts): string {
  const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
  const parts = [
    `This book holds ${n(facts.chapters, 'article', 'articles')} from archived web pages, made into accessible reader copies by clearcopy: one chapter per article, in the order given, each with its headline as the chapter heading and its sections as headings below it.`,
    'The table of contents lists every article and its sections; the reading order follows it.',
    'Every document declares its language. Scripts, forms, advertising and remote resources were removed, and the text can be resized and restyled by the reader.',
  ];
  if (facts.tables) parts.push(`${n(facts.tables, 'data table has', 'data tables have')} marked header cells.`);
  if (facts.describedImages) parts.push(`${n(facts.describedImages, 'image has', 'images have')} a text description.`);
  if (facts.leftOutImages) parts.push(`${n(facts.leftOutImages, 'image was', 'images were')} not available to include; each is replaced by its description and credit as text.`);
  if (facts.undescribedImages) parts.push(`Needs a person: ${n(facts.undescribedImages, 'image has', 'images have')} no description because the archived page gave none; each is marked "Image description needed".`);
  if (facts.conforms) parts.push('Every chapter passed automated WCAG 2.2 Level AA checks (HTML_CodeSniffer and axe).');
  else if (!facts.audited) parts.push('The chapters were not all audited with automated WCAG checks, so no conformance is claimed.');
  else parts.push('Not every chapter passed automated WCAG 2.2 Level AA checks or every image is described, so no conformance is claimed.');
  return parts.join(' ');
}

/** The conformance claim (EPUB Accessibility 1.1, section 2.1), made only when the content passes. */
export const CONFORMS_TO = 'EPUB Accessibility 1.1 - WCAG 2.2 Level AA';
