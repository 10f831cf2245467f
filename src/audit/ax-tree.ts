import type { Page } from 'puppeteer';
import { clearcopyFinding, type Finding } from '../model/finding.js';
import { directionOf } from '../extract/metadata.js';
import { isUselessAlt } from '../extract/figures.js';
import { isValidLanguageTag, judgeLanguage } from '../lang/detect.js';
import type { PageCheck } from './auditor.js';

/** One node of Chromium's accessibility tree (CDP `Accessibility.AXNode`, the fields used here). */
interface AXNode {
  nodeId: string;
  ignored: boolean;
  role?: { value?: string };
  name?: { value?: string };
  properties?: { name: string; value: { value?: unknown } }[];
  childIds?: string[];
  parentId?: string;
}

/** What the page itself says, read in the browser. */
interface PageFacts {
  lang: string;
  dir: string;
  title: string;
  text: string;
}

/**
 * The view a screen reader gets, checked: reads the page's full accessibility tree from Chromium
 * (CDP `Accessibility.getFullAXTree`) and reports, as clearcopy findings beside pa11y's:
 * not exactly one `main` landmark; not exactly one level-1 heading, or one that is not the start of
 * the page title; skipped heading levels; images with no name (unless presentational) or a name
 * that is a file name, URL or a word like "image"; links without a name; two adjacent links to the
 * same target; data tables without header cells; an invalid `lang`, a `lang` the text does not
 * match, and a right-to-left language without `dir=rtl`.
 */
export const accessibilityTreeCheck: PageCheck = async (page) => {
  const client = await page.createCDPSession();
  try {
    const { nodes } = (await client.send('Accessibility.getFullAXTree')) as unknown as { nodes: AXNode[] };
    const facts = await readPageFacts(page);
    return checkTree(nodes, facts);
  } finally {
    await client.detach().catch(() => undefined);
  }
};

async function readPageFacts(page: Page): Promise<PageFacts> {
  return page.evaluate(() => ({
    lang: document.documentElement.getAttribute('lang') ?? '',
    dir: getComputedStyle(document.documentElement).direction,
    title: document.title,
    text: (document.querySelector('main') ?? document.body)?.innerText.slice(0, 6000) ?? '',
  }));
}

const GENERIC_NAMES = /^(image|img|photo|photograph|picture|pic|placeholder|graphic|icon|figure|untitled|spacer|blank|logo)s?$/i;

/** The checks themselves, on a tree already read (pure, so they can be tested on literal trees). */
export function checkTree(nodes: readonly AXNode[], facts: PageFacts): Finding[] {
  const findings: Finding[] = [];
  const fail = (rule: string, message: string, context?: string) => findings.push(clearcopyFinding(rule, message, 'error', context ? { context } : {}));
  const ordered = documentOrder(nodes);
  const live = ordered.filter((node) => !node.ignored);
  const role = (node: AXNode) => node.role?.value ?? '';
  const name = (node: AXNode) => (node.name?.value ?? '').trim();
  const prop = (node: AXNode, key: string) => node.properties?.find((p) => p.name === key)?.value.value;

  const mains = live.filter((n) => role(n) === 'main');
  if (mains.length !== 1) fail('ax-main-landmark', `The page has ${mains.length} main landmarks; a screen reader user needs exactly one to jump to the content.`);

  const headings = live.filter((n) => role(n) === 'heading').map((n) => ({ level: Number(prop(n, 'level') ?? 0), name: name(n) }));
  const h1s = headings.filter((h) => h.level === 1);
  if (h1s.length !== 1) fail('ax-single-h1', `The page has ${h1s.length} level-1 headings; it needs exactly one, the headline.`);
  else if (facts.title && !normalise(facts.title).startsWith(normalise(h1s[0]!.name))) {
    fail('ax-h1-is-headline', `The level-1 heading "${h1s[0]!.name}" is not the headline named in the page title "${facts.title}".`);
  }
  let previous = 0;
  for (const heading of headings) {
    if (heading.level > previous + 1) fail('ax-heading-order', `Heading level ${heading.level} ("${heading.name}") follows level ${previous || 'none'}: a level is skipped.`, heading.name);
    previous = heading.level;
  }

  for (const image of live.filter((n) => role(n) === 'image' || role(n) === 'img')) {
    const label = name(image);
    if (!label) fail('ax-image-name', 'An image has no accessible name and is not marked presentational.');
    else if (isUselessAlt(label) || GENERIC_NAMES.test(label.replace(/[.:]$/, ''))) fail('ax-image-name', `An image is named "${label}": a file name, address or generic word tells a listener nothing.`, label);
  }

  const links = live.filter((n) => role(n) === 'link');
  for (const link of links) if (!name(link)) fail('ax-link-name', `A link to ${String(prop(link, 'url') ?? 'somewhere')} has no accessible name.`);
  for (let i = 1; i < links.length; i++) {
    const a = links[i - 1]!;
    const b = links[i]!;
    const url = prop(a, 'url');
    if (url && url === prop(b, 'url') && nothingBetween(ordered, a, b)) {
      fail('ax-adjacent-links', `Two adjacent links go to the same address (${String(url)}): a screen reader announces it twice.`, name(b));
    }
  }

  for (const table of live.filter((n) => role(n) === 'table' || role(n) === 'grid')) {
    const headers = descendants(nodes, table).filter((n) => role(n) === 'columnheader' || role(n) === 'rowheader');
    if (headers.length === 0) fail('ax-table-headers', `A data table${name(table) ? ` ("${name(table)}")` : ''} exposes no header cells.`);
  }

  if (!isValidLanguageTag(facts.lang)) {
    fail('lang-valid', `The page language "${facts.lang}" is not a valid BCP 47 tag.`);
  } else {
    const { detected, mismatch } = judgeLanguage(facts.lang, facts.text);
    if (mismatch) fail('lang-matches-text', `The page says lang="${facts.lang}" but its text reads as "${detected}"; a screen reader would use the wrong voice.`);
    if (directionOf(facts.lang) === 'rtl' && facts.dir !== 'rtl') fail('rtl-dir', `The page is in a right-to-left language (${facts.lang}) but is laid out left to right; it needs dir="rtl".`);
  }
  return findings;
}

function normalise(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Nodes in document order: a depth-first walk from the root through childIds. */
function documentOrder(nodes: readonly AXNode[]): AXNode[] {
  const byId = new Map(nodes.map((n) => [n.nodeId, n]));
  const root = nodes.find((n) => !n.parentId) ?? nodes[0];
  const out: AXNode[] = [];
  const stack: AXNode[] = root ? [root] : [];
  while (stack.length) {
    const node = stack.pop()!;
    out.push(node);
    const children = (node.childIds ?? []).map((id) => byId.get(id)).filter((n): n is AXNode => Boolean(n));
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return out;
}

function descendants(nodes: readonly AXNode[], parent: AXNode): AXNode[] {
  const byId = new Map(nodes.map((n) => [n.nodeId, n]));
  const out: AXNode[] = [];
  const stack = [...(parent.childIds ?? [])];
  while (stack.length) {
    const node = byId.get(stack.pop()!);
    if (!node) continue;
    out.push(node);
    stack.push(...(node.childIds ?? []));
  }
  return out;
}

/** True when no text outside the two links sits between them in document order. */
function nothingBetween(ordered: readonly AXNode[], a: AXNode, b: AXNode): boolean {
  const inA = new Set([a.nodeId, ...descendantIds(ordered, a)]);
  const start = ordered.indexOf(a);
  const end = ordered.indexOf(b);
  for (let i = start + 1; i < end; i++) {
    const node = ordered[i]!;
    if (inA.has(node.nodeId)) continue;
    if (!node.ignored && node.role?.value === 'StaticText' && (node.name?.value ?? '').trim()) return false;
    if (!node.ignored && (node.role?.value === 'image' || node.role?.value === 'img')) return false;
  }
  return true;
}

function descendantIds(ordered: readonly AXNode[], node: AXNode): string[] {
  const byId = new Map(ordered.map((n) => [n.nodeId, n]));
  const out: string[] = [];
  const stack = [...(node.childIds ?? [])];
  while (stack.length) {
    const id = stack.pop()!;
    out.push(id);
    stack.push(...(byId.get(id)?.childIds ?? []));
  }
  return out;
}
