// What scripts/eval-extraction.mjs and the corpus tests share: reading a corpus in either layout,
// the text that is scored, the split in two halves, and scoring with the corpus's own scorer.
//
// Layouts:
//   article  DIR/ground-truth.json  {key: {url, articleBody}}, DIR/html/<key>.html.gz (stored as UTF-8);
//            scored with tools/score-extraction.mjs (word 4-gram shingles, macro means over pages).
//   segments DIR/evaldata.json      {url: {file, with: [...], without: [...]}}, DIR/html/<file>.gz
//            (bytes as saved: the encoding is sniffed as a browser would); scored with
//            tools/score-segments.mjs (segments found / unwanted segments found, pooled counts).
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Readability } from '@mozilla/readability';
import { JSDOM, VirtualConsole } from 'jsdom';

const SCORER_FILE = { article: 'score-extraction.mjs', segments: 'score-segments.mjs' };

/**
 * Reads a corpus folder: its layout, truth file and pages ({key, bytes, url, half}), each page read
 * and unzipped once. Throws with a one-line message when the folder has neither layout.
 */
export function loadCorpus(dir) {
  const htmlDir = path.join(dir, 'html');
  const articleTruth = path.join(dir, 'ground-truth.json');
  const segmentTruth = path.join(dir, 'evaldata.json');
  const read = (file) => {
    const raw = readFileSync(file);
    return file.endsWith('.gz') ? gunzipSync(raw) : raw;
  };
  if (existsSync(articleTruth) && existsSync(htmlDir)) {
    const truth = JSON.parse(readFileSync(articleTruth, 'utf8'));
    const inputs = readdirSync(htmlDir).filter((name) => /\.html?(\.gz)?$/.test(name)).sort().map((file) => {
      const key = file.replace(/\.html?(\.gz)?$/, '');
      return { key, bytes: read(path.join(htmlDir, file)), url: truth[key]?.url, half: halfOf(key) };
    });
    return { layout: 'article', truthFile: articleTruth, truth, inputs };
  }
  if (existsSync(segmentTruth) && existsSync(htmlDir)) {
    const truth = JSON.parse(readFileSync(segmentTruth, 'utf8'));
    const inputs = Object.entries(truth).sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, item]) => {
      const file = [`${item.file}.gz`, item.file].map((name) => path.join(htmlDir, name)).find((f) => existsSync(f));
      if (!file) throw new Error(`${dir}: ${item.file} (page ${key}) is not in html/`);
      return { key, bytes: read(file), url: key.trim(), half: halfOf(key) };
    });
    return { layout: 'segments', truthFile: segmentTruth, truth, inputs };
  }
  throw new Error(`${dir} needs ground-truth.json or evaldata.json, and html/`);
}

/**
 * The half ("A" or "B") a page belongs to: the last bit of the SHA-256 of its key. (The
 * trafilatura dev half was itself cut by the first hex digits of the same hash, so the last bit is
 * used to stay independent of that cut.)
 */
export function halfOf(key) {
  const digest = createHash('sha256').update(key, 'utf8').digest();
  return digest[digest.length - 1] & 1 ? 'B' : 'A';
}

/** The scorer for a layout: `explicit`, then ../shared/tools beside the repo, then DIR/../../tools. */
export function findScorer(layout, corpusDir, repoRoot, explicit) {
  const name = SCORER_FILE[layout];
  const candidates = [explicit, path.resolve(repoRoot, '..', 'shared', 'tools', name), path.resolve(corpusDir, '..', '..', 'tools', name)].filter(Boolean);
  return candidates.find((file) => existsSync(file));
}

/**
 * Scores predictions ({key: {articleBody}}) with the layout's scorer, run as a child process on a
 * truth file (optionally only the keys in `only`). Returns {summary: {f1, precision, recall,
 * accuracy}, pages: Map key → {key, url, f1, precision, recall, missing?, unwanted?}}.
 */
export function score(layout, scorer, truth, predictions, scratchBase, only) {
  const truthFile = `${scratchBase}.truth.json`;
  const predFile = `${scratchBase}.pred.json`;
  const subset = only ? Object.fromEntries(Object.entries(truth).filter(([key]) => only.has(key))) : truth;
  writeFileSync(truthFile, JSON.stringify(subset));
  writeFileSync(predFile, JSON.stringify(predictions));
  try {
    if (layout === 'article') {
      const stdout = execFileSync(process.execPath, [scorer, '--truth', truthFile, '--pred', predFile, '--worst', '1000000'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
      const [summary, ...pages] = stdout.trim().split('\n').map((line) => JSON.parse(line));
      return { summary, pages: new Map(pages.map((p) => [p.key, p])) };
    }
    const stdout = execFileSync(process.execPath, [scorer, '--truth', truthFile, '--pred', predFile, '--per-page'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line));
    const summary = lines.pop();
    const pages = new Map(lines.map((p) => {
      const precision = p.tp + p.fp ? p.tp / (p.tp + p.fp) : null;
      const recall = p.tp + p.fn ? p.tp / (p.tp + p.fn) : null;
      const f1 = 2 * p.tp + p.fp + p.fn ? (2 * p.tp) / (2 * p.tp + p.fp + p.fn) : 1;
      return [p.url, { ...p, key: p.url, f1, precision, recall }];
    }));
    return { summary, pages };
  } finally {
    rmSync(truthFile, { force: true });
    rmSync(predFile, { force: true });
  }
}

/** Scores all pages and each half: {all, A, B}, each as returned by {@link score}. */
export function scoreHalves(corpus, scorer, predictions, scratchBase) {
  const keys = (half) => new Set(corpus.inputs.filter((p) => p.half === half).map((p) => p.key));
  return {
    all: score(corpus.layout, scorer, corpus.truth, predictions, scratchBase),
    A: score(corpus.layout, scorer, corpus.truth, predictions, scratchBase, keys('A')),
    B: score(corpus.layout, scorer, corpus.truth, predictions, scratchBase, keys('B')),
  };
}

/**
 * The text scored for a page. Article layout: the body as the text copy reads it, the page's own
 * words only (no headline, dek, byline, figure lines or listening aids). Segment layout: the words
 * of the text copy a user gets: headline, dek and body (figure lines included), without the byline
 * line, notices and listening aids (list numbers, table labels), which the page does not contain.
 */
export function scoredText(api, doc, layout) {
  if (layout === 'article') return api.bodyText(doc, { figures: false, listeningAids: false });
  return [doc.meta.title, doc.meta.dek, api.bodyText(doc, { listeningAids: false })].filter(Boolean).join('\n\n');
}

/** A corpus page as clearcopy loads it: article pages are stored as UTF-8, segment pages are sniffed. */
export function loadPage(api, page, layout) {
  return api.loadBytes(page.bytes, { name: page.key, ...(layout === 'article' ? { transportCharset: 'utf-8' } : {}), ...(page.url ? { url: page.url } : {}) });
}

/**
 * The second reading printed under clearcopy's row: for the article layout the text copy as read
 * (with list numbers and table labels); for the segment layout the same text without figure lines.
 */
export function secondText(api, doc, layout) {
  if (layout === 'article') return api.bodyText(doc, { figures: false });
  return [doc.meta.title, doc.meta.dek, api.bodyText(doc, { figures: false, listeningAids: false })].filter(Boolean).join('\n\n');
}

/** Both readings of a page ({scored, second}, '' when clearcopy refuses the page). */
export function extractTexts(api, page, layout) {
  try {
    const doc = api.extract(loadPage(api, page, layout));
    return { scored: scoredText(api, doc, layout), second: secondText(api, doc, layout) };
  } catch {
    return { scored: '', second: '' };
  }
}

/** Text of a Readability article element with a newline at every block boundary (so words are never glued). */
const BLOCK = /^(P|DIV|SECTION|ARTICLE|MAIN|HEADER|FOOTER|ASIDE|H[1-6]|UL|OL|LI|DL|DT|DD|TABLE|THEAD|TBODY|TFOOT|TR|TD|TH|CAPTION|BLOCKQUOTE|PRE|FIGURE|FIGCAPTION|HR|BR|DETAILS|SUMMARY|CENTER|ADDRESS)$/;
export function blockText(root) {
  let out = '';
  const walk = (node) => {
    if (node.nodeType === 3) out += node.nodeValue;
    else if (node.nodeType === 1) {
      const block = BLOCK.test(node.tagName);
      if (block) out += '\n';
      for (const child of node.childNodes) walk(child);
      if (block) out += '\n';
    }
  };
  walk(root);
  return out.split('\n').map((line) => line.replace(/\s+/g, ' ').trim()).filter(Boolean).join('\n');
}

/**
 * Bare Readability 0.6.0 on jsdom: the article's blocks joined with newlines (article layout), or
 * its title and blocks (segment layout, like clearcopy's headline and body). '' when it finds none.
 */
export function bareReadability(api, page, layout) {
  try {
    const html = layout === 'article' ? page.bytes.toString('utf8') : api.decodeHtml(page.bytes).html;
    const { document } = new JSDOM(html, { url: page.url, virtualConsole: new VirtualConsole() }).window;
    const article = new Readability(document, { serializer: (el) => el }).parse();
    const body = article?.content ? blockText(article.content) : '';
    document.defaultView?.close();
    if (!body) return '';
    return layout === 'article' ? body : [article.title, body].filter(Boolean).join('\n\n');
  } catch {
    return '';
  }
}

/**
 * clearcopy's scored text for a page with each of several sets of clean-up steps left out, at a
 * fraction of the cost of one extraction per set: the page is extracted once without any
 * normalisation step, then each variant normalises its own copy of that document (the
 * normalisation steps see only the document). A variant that leaves out a step before Readability
 * (PREPARE_STEPS) needs an extraction of its own, but only where that step changed the page
 * (preparedBy); elsewhere it shares the first. Same text as extract() with those skipSteps gives.
 * `variants` maps a name to the step names it leaves out; '' for a refused page.
 */
export function extractVariants(api, page, layout, variants) {
  const all = api.NORMALIZE_STEPS.map((step) => step.name);
  const before = new Set(api.PREPARE_STEPS.map((step) => step.name));
  const extractRaw = (skip) => {
    try {
      return api.extract(loadPage(api, page, layout), { skipSteps: [...all, ...skip] });
    } catch {
      return undefined;
    }
  };
  const raw = extractRaw([]);
  const fired = new Set(raw ? api.preparedBy(raw) : []);
  const out = {};
  for (const [name, skip] of Object.entries(variants)) {
    const skippedBefore = skip.filter((step) => before.has(step));
    // A step that changed nothing on this page gives the same document when left out.
    const source = skippedBefore.some((step) => fired.has(step)) ? extractRaw(skippedBefore) : raw;
    if (!source) {
      out[name] = '';
      continue;
    }
    const doc = structuredClone(source);
    api.normalize(doc, api.NORMALIZE_STEPS.filter((step) => !skip.includes(step.name)));
    out[name] = refused(api, doc) ? '' : scoredText(api, doc, layout);
  }
  return out;
}

/** extract()'s last check: a page with under 20 characters of text and no figure is refused. */
function refused(api, doc) {
  const text = api.bodyText(doc, { figures: false, listeningAids: false }).replace(/\s+/g, ' ').trim();
  return text.length < 20 && !JSON.stringify(doc.blocks).includes('"kind":"figure"');
}
