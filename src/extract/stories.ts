import type { PrepareStep } from './cleanup.js';
import { proseLength } from './prose.js';
import { textOf } from './dom.js';

/** Prose a story of its own has at least (a teaser card has less). */
const STORY_PROSE = 300;

/** Lower-cased words (letters and digits) of a text. */
function words(text: string): string[] {
  return text.toLowerCase().normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The words of the page's titles (`<title>`, `og:title`). */
export function titleWords(document: Document): Set<string> {
  const titles = [document.title, document.querySelector('meta[property="og:title" i]')?.getAttribute('content') ?? ''];
  return new Set(titles.flatMap(words));
}

/** The share of the title's words that the heading has (a site's name in an h2 has few of them). */
export function titleShare(heading: string, titleWords: Set<string>): number {
  if (titleWords.size === 0) return 0;
  const own = new Set(words(heading));
  let shared = 0;
  for (const word of titleWords) if (own.has(word)) shared++;
  return shared / titleWords.size;
}

/** True when (nearly) every word of the heading is in the title: the page is this story's page. */
export function headsPage(heading: string, titleWords: Set<string>): boolean {
  const own = words(heading);
  if (own.length < 2) return false;
  const found = own.filter((word) => titleWords.has(word)).length;
  return found >= 0.8 * own.length;
}

/**
 * Endless-scroll and "more stories" pages hold several whole stories, each an `<article>` with
 * its headline and prose; Readability keeps the one with the most text, often not the page's own.
 * When exactly one of them has the headline the page is titled with (`<title>`, `og:title`),
 * the others are removed. Teaser cards (little prose) and pages where no story or more than one
 * matches the title are left alone.
 */
export const otherStories: PrepareStep = {
  name: 'other-stories',
  run(document) {
    const articles = [...document.getElementsByTagName('article')];
    if (articles.length < 2) return 0;
    const headed = articles.filter((article) => article.querySelector('h1, h2') && proseLength(article) >= STORY_PROSE);
    // The innermost stories: an outer <article> around all of them is the page's wrapper.
    const stories = headed.filter((article) => !headed.some((other) => other !== article && article.contains(other)));
    if (stories.length < 2) return 0;
    const title = titleWords(document);
    const own = stories.filter((story) => headsPage(textOf(story.querySelector('h1, h2')), title));
    if (own.length !== 1) return 0;
    let removed = 0;
    for (const story of stories) {
      if (story === own[0]) continue;
      story.remove();
      removed++;
    }
    return removed;
  },
};
