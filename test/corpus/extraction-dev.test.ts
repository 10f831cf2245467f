// Extraction quality on the benchmark's dev pages (../shared/corpus/extraction-dev), scored with the
// benchmark's own metric (../shared/tools/score-extraction.mjs). Skips when ../shared is absent.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bodyText, extract, loadBytes } from '../../src/index.js';
import { SHARED } from '../helpers.js';

const CORPUS = SHARED && path.join(SHARED, 'corpus', 'extraction-dev');
const SCORER = SHARED && path.join(SHARED, 'tools', 'score-extraction.mjs');
const available = Boolean(CORPUS && SCORER && existsSync(path.join(CORPUS, 'ground-truth.json')) && existsSync(SCORER));

interface Summary { pages: number; f1: number; precision: number; recall: number }

describe.skipIf(!available)('extraction on the dev corpus (article-extraction benchmark)', () => {
  it('scores F1 ≥ 0.975 with precision and recall ≥ 0.96', async () => {
    const truth = JSON.parse(readFileSync(path.join(CORPUS!, 'ground-truth.json'), 'utf8')) as Record<string, { url: string; articleBody: string }>;
    const { scoreAll } = (await import(pathToFileURL(SCORER!).href)) as { scoreAll: (t: unknown, p: unknown) => { summary: Summary; perPage: { key: string; f1: number }[] } };
    const pred: Record<string, { articleBody: string }> = {};
    for (const file of readdirSync(path.join(CORPUS!, 'html')).filter((f) => f.endsWith('.html.gz'))) {
      const key = file.replace(/\.html\.gz$/, '');
      const bytes = gunzipSync(readFileSync(path.join(CORPUS!, 'html', file)));
      try {
        pred[key] = { articleBody: bodyText(extract(loadBytes(bytes, { name: key, url: truth[key]?.url, transportCharset: 'utf-8' })), { figures: false }) };
      } catch {
        pred[key] = { articleBody: '' };
      }
    }
    const { summary, perPage } = scoreAll(truth, pred);
    const worst = [...perPage].sort((a, b) => a.f1 - b.f1).slice(0, 5).map((p) => `${p.key.slice(0, 12)} ${p.f1.toFixed(3)}`);
    console.log(`extraction-dev: F1 ${summary.f1.toFixed(4)} P ${summary.precision.toFixed(4)} R ${summary.recall.toFixed(4)} (${summary.pages} pages); worst: ${worst.join(', ')}`);
    expect(summary.pages).toBeGreaterThanOrEqual(90);
    expect(summary.f1).toBeGreaterThanOrEqual(0.975);
    expect(summary.precision).toBeGreaterThanOrEqual(0.96);
    expect(summary.recall).toBeGreaterThanOrEqual(0.96);
  }, 600_000);
});
