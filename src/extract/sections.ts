import type { PrepareContext, PrepareStep } from './cleanup.js';
import { measureProse } from './prose.js';

/** The attribute that marks a body section for {@link addMissedSections}; it names the section's index. */
const MARK = 'data-cc-section';

/** Share of a section's text that must be prose for it to be added to the article. */
const MOSTLY_PROSE = 0.6;
const SECTION_TAGS = new Set(['DIV', 'SECTION']);

/**
 * Page builders and CMS "paragraph" fields put a story in a row of sibling boxes of one kind
 * (`div.headline-with-text`, `div.field__item`), each with its own wrappers. Readability scores
 * one box best and keeps only it when the others are not its siblings. This step finds such a
 * row: two or more sibling `<div>`s or `<section>`s with the same class that each hold prose and
 * together hold most of the page's, none with a headline (`<h1>`) of its own or an `<article>`
 * (those are stories of their own, as on an endless-scroll page). It marks them; after
 * Readability, {@link addMissedSections} adds the boxes before and after the one it kept.
 */
export const bodySections: PrepareStep = {
  name: 'body-sections',
  run(document, context) {
    const body = document.body;
    if (!body) return 0;
    const { runs, prose } = measureProse(body);
    let total = 0;
    for (const run of runs) total += run.text.length;
    if (total === 0) return 0;
    let best: Element[] = [];
    let bestProse = 0;
    for (const parent of [body, ...prose.keys()]) {
      if (parent.childElementCount < 2) continue;
      const groups = new Map<string, Element[]>();
      for (let child = parent.firstElementChild; child; child = child.nextElementSibling) {
        const cls = child.getAttributeNS(null, 'class')?.trim();
        if (!cls || !SECTION_TAGS.has(child.tagName) || !prose.get(child)) continue;
        const key = `${child.tagName} ${cls}`;
        const group = groups.get(key);
        if (group) group.push(child);
        else groups.set(key, [child]);
      }
      for (const members of groups.values()) {
        if (members.length < 2) continue;
        let sum = 0;
        for (const member of members) sum += prose.get(member) ?? 0;
        if (sum > bestProse) {
          best = members;
          bestProse = sum;
        }
      }
    }
    if (best.length < 2 || bestProse < 0.5 * total) return 0;
    if (best.some((member) => member.getElementsByTagName('h1').length > 0 || member.getElementsByTagName('article').length > 0)) return 0;
    const samples: string[] = [];
    for (const member of best) {
      const run = runs.find((r) => member.contains(r.block));
      if (!run) continue;
      // A box that is mostly something else (a byline, share and sign-up strip with one sentence
      // of small print) is not a part of the story: it is left for Readability to judge.
      if ((prose.get(member) ?? 0) >= MOSTLY_PROSE * (member.textContent ?? '').replace(/\s+/g, ' ').trim().length) member.setAttribute(MARK, String(samples.length));
      samples.push(run.text.slice(0, 60));
    }
    context.sections = samples;
    return samples.length;
  },
};

/**
 * Adds to Readability's article the marked body sections ({@link bodySections}) it left out before
 * the first and after the last one it kept, in page order. Does nothing when it kept none of them
 * (it chose something else) or all of them. Returns how many it added.
 */
export function addMissedSections(document: Document, content: Element, context: PrepareContext): number {
  const samples = context.sections;
  if (!samples?.length) return 0;
  const text = (content.textContent ?? '').replace(/\s+/g, ' ');
  const kept = samples.map((sample) => text.includes(sample));
  const first = kept.indexOf(true);
  const last = kept.lastIndexOf(true);
  if (first < 0) return 0;
  const section = (index: number) => {
    const element = document.querySelector(`[${MARK}="${index}"]`);
    return element && !content.contains(element) ? element : undefined;
  };
  const page = content.firstElementChild ?? content;
  let added = 0;
  for (let index = first - 1; index >= 0; index--) {
    const element = section(index);
    if (!element) continue;
    page.prepend(element);
    added++;
  }
  for (let index = last + 1; index < samples.length; index++) {
    const element = section(index);
    if (!element) continue;
    page.append(element);
    added++;
  }
  return added;
}
