// The over-fitting guard: each dev corpus split in two by a hash of the page key (halfOf in
// scripts/eval-corpus.mjs); the clean-up rules must gain on both halves, not only on the pages
// they were written from, and the two halves must score alike. Skips when ../shared is absent.
import { existsSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';
// @ts-expect-error: a plain ESM script shared with scripts/eval-extraction.mjs (no types)
import { extractVariants, findScorer, halfOf, loadCorpus, scoreHalves } from '../../scripts/eval-corpus.mjs';
import { ROOT, SHARED } from '../helpers.js';

/**
 * The rules, each guarded: leaving it out must not raise F1 on either half (a loss of more than
 * 0.002 fails: one segment of 1,400 is ~0.0007). Those before Readability that choose what the
 * article is (not the ones that drop what is never content, such as scripts and navigation),
 * then those that remove boilerplate after it. A step before Readability costs an extraction of
 * each page it changed.
 */
const GUARDED = ['other-stories', 'related-content', 'author-boxes', 'teaser-cards', 'hover-popups', 'body-sections', 'drop-repeated-header', 'bare-urls', 'datelines', 'related-links', 'calls-to-action', 'end-matter', 'site-furniture', 'post-metadata', 'credit-lines', 'disclaimers', 'edge-link-lines', 'figure-words-once', 'embed-consent'];
const TOLERANCE = 0.002;

interface Summary { f1: number; precision: number; recall: number }
interface Scored { all: { summary: Summary }; A: { summary: Summary }; B: { summary: Summary } }

const scratch = mkdtempSync(path.join(os.tmpdir(), 'clearcopy-halves-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Scores every page with all rules and with each guarded rule left out, per half. */
async function measure(dir: string): Promise<{ full: Scored; without: Map<string, Scored>; pages: number }> {
  const corpus = loadCorpus(dir);
  const scorer = findScorer(corpus.layout, dir, ROOT);
  const variants: Record<string, string[]> = { full: [], ...Object.fromEntries(GUARDED.map((name) => [name, [name]])) };
  const predictions: Record<string, Record<string, { articleBody: string }>> = Object.fromEntries(Object.keys(variants).map((name) => [name, {}]));
  for (const page of corpus.inputs) {
    const texts = extractVariants(api, page, corpus.layout, variants) as Record<string, string>;
    for (const [name, text] of Object.entries(texts)) predictions[name]![page.key] = { articleBody: text };
    await new Promise((resolve) => setImmediate(resolve));
  }
  const score = (name: string) => scoreHalves(corpus, scorer, predictions[name], path.join(scratch, name)) as Scored;
  return { full: score('full'), without: new Map(GUARDED.map((name) => [name, score(name)])), pages: corpus.inputs.length };
}

function checkRules(name: string, { full, without }: { full: Scored; without: Map<string, Scored> }): string[] {
  const lines: string[] = [];
  for (const [rule, scored] of without) {
    const gain = (half: 'A' | 'B') => full[half].summary.f1 - scored[half].summary.f1;
    lines.push(`${name} ${rule}: gain ${gain('A').toFixed(4)} (A) ${gain('B').toFixed(4)} (B)`);
    expect.soft(gain('A'), `${name}: ${rule} on half A`).toBeGreaterThanOrEqual(-TOLERANCE);
    expect.soft(gain('B'), `${name}: ${rule} on half B`).toBeGreaterThanOrEqual(-TOLERANCE);
  }
  return lines;
}

const row = (label: string, s: Summary) => `${label} F1 ${s.f1.toFixed(4)} P ${s.precision.toFixed(4)} R ${s.recall.toFixed(4)}`;

describe('the split in halves', () => {
  it('is stable and puts pages on both sides', () => {
    const keys = Array.from({ length: 200 }, (_, i) => `https://site${i}.example/story-${i}.html`);
    const halves = keys.map((key) => halfOf(key));
    expect(keys.map((key) => halfOf(key))).toEqual(halves);
    expect(halves.filter((h) => h === 'A').length).toBeGreaterThan(60);
    expect(halves.filter((h) => h === 'B').length).toBeGreaterThan(60);
  });
});

const ARTICLE = SHARED && path.join(SHARED, 'corpus', 'extraction-dev');
describe.skipIf(!ARTICLE || !existsSync(path.join(ARTICLE, 'ground-truth.json')))('extraction-dev, in two halves', () => {
  it('each rule gains on both halves, and each half scores F1 ≥ 0.975', async () => {
    const measured = await measure(ARTICLE!);
    const lines = checkRules('extraction-dev', measured);
    console.log([row('extraction-dev all   ', measured.full.all.summary), row('extraction-dev half A', measured.full.A.summary), row('extraction-dev half B', measured.full.B.summary), ...lines].join('\n'));
    expect(measured.pages).toBeGreaterThanOrEqual(90);
    expect(measured.full.A.summary.f1).toBeGreaterThanOrEqual(0.975);
    expect(measured.full.B.summary.f1).toBeGreaterThanOrEqual(0.975);
  }, 900_000);
});

const SEGMENTS = SHARED && path.join(SHARED, 'corpus', 'trafilatura-dev');
describe.skipIf(!SEGMENTS || !existsSync(path.join(SEGMENTS, 'evaldata.json')))('trafilatura-dev, in two halves', () => {
  let measured: ReturnType<typeof measure> | undefined;
  const once = () => (measured ??= measure(SEGMENTS!));

  it('each rule gains on both halves', async () => {
    const result = await once();
    const lines = checkRules('trafilatura-dev', result);
    console.log([row('trafilatura-dev all   ', result.full.all.summary), row('trafilatura-dev half A', result.full.A.summary), row('trafilatura-dev half B', result.full.B.summary), ...lines].join('\n'));
    expect(result.pages).toBeGreaterThanOrEqual(495);
  }, 1_800_000);

  it('the halves\' F1 are within 0.01 of each other', async () => {
    const { full } = await once();
    expect(Math.abs(full.A.summary.f1 - full.B.summary.f1)).toBeLessThanOrEqual(0.01);
  }, 1_800_000);
});
