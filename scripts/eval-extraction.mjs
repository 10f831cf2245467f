#!/usr/bin/env node
// Scores clearcopy's article extraction on a corpus laid out like the article-extraction benchmark:
//   DIR/ground-truth.json   {key: {url, articleBody}}
//   DIR/html/<key>.html.gz  the saved page (gzip)
//
//   npm run eval:extraction -- --corpus DIR --out predictions.json [--worst N] [--no-baseline] [--scorer PATH] [--steps]
//
// Writes {key: {articleBody}} where articleBody is the body as clearcopy's text copy reads it, with
// the page's own words only (bodyText(doc, { figures: false, listeningAids: false }): no headline,
// dek, byline, figure lines or notices, and none of the words the text copy adds for a listener that
// the page does not contain: list numbers, "Table"/"Columns:" labels, a header before each cell).
// The text copy exactly as read (with those aids) is scored too and printed as a second row. Scores it with
// the benchmark scorer (run as a child process), and prints the table and the N worst pages. Unless
// --no-baseline is given it also scores bare Readability 0.6.0 on the same pages (blocks joined with
// newlines) and prints per-page deltas, so "no page more than 0.05 below bare Readability" can be checked.
// --steps also measures each clean-up step: extraction again with that one step left out
// (ExtractOptions.skipSteps), and the pages whose F1 the step raises ("fixed") or lowers by > 0.005.
// Exit code: 0 when it ran, 2 on usage or I/O errors.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { Readability } from '@mozilla/readability';
import { JSDOM, VirtualConsole } from 'jsdom';
import { bodyText, extract, loadBytes, NORMALIZE_STEPS, PREPARE_STEPS } from '../dist/index.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));

function usage(message) {
  if (message) process.stderr.write(`eval-extraction: ${message}\n`);
  process.stderr.write('usage: npm run eval:extraction -- --corpus DIR --out predictions.json [--worst N] [--no-baseline] [--scorer PATH] [--steps]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { corpus: undefined, out: undefined, worst: 10, baseline: true, scorer: undefined, quiet: false, steps: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--corpus') opts.corpus = argv[++i];
    else if (a === '--out') opts.out = argv[++i];
    else if (a === '--worst') opts.worst = Number(argv[++i]);
    else if (a === '--no-baseline') opts.baseline = false;
    else if (a === '--scorer') opts.scorer = argv[++i];
    else if (a === '--quiet') opts.quiet = true;
    else if (a === '--steps') opts.steps = true;
    else if (a === '-h' || a === '--help') usage();
    else usage(`unknown argument ${a}`);
  }
  if (!opts.corpus) usage('--corpus DIR is required');
  opts.out ??= 'predictions.json';
  if (!Number.isInteger(opts.worst) || opts.worst < 0) usage('--worst needs a non-negative integer');
  return opts;
}

/** The benchmark scorer: --scorer, then ../shared/tools beside the repo, then DIR/../../tools. */
function findScorer(opts) {
  const candidates = [opts.scorer, path.resolve(HERE, '..', '..', 'shared', 'tools', 'score-extraction.mjs'), path.resolve(opts.corpus, '..', '..', 'tools', 'score-extraction.mjs')].filter(Boolean);
  const found = candidates.find((file) => existsSync(file));
  if (!found) usage(`score-extraction.mjs not found (tried ${candidates.join(', ')}); pass --scorer PATH`);
  return found;
}

/**
 * Lets the event loop turn between pages: jsdom and V8 release a page's memory in tasks they queue,
 * so a loop that never yields grows until it runs out of memory (seen at ~2,000 pages).
 */
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** clearcopy's extraction of a corpus page. The benchmark's pages are stored as UTF-8 whatever their <meta charset> says (its README: "Decode as UTF-8"). */
function extractPage({ key, bytes, url }, options) {
  return extract(loadBytes(bytes, { name: key, transportCharset: 'utf-8', ...(url ? { url } : {}) }), options);
}

/** The body as the text copy reads it, with the page's own words only (what is scored). */
const pageWords = (doc) => bodyText(doc, { figures: false, listeningAids: false });

/** Text of a Readability article element with a newline at every block boundary (so words are never glued). */
const BLOCK = /^(P|DIV|SECTION|ARTICLE|MAIN|HEADER|FOOTER|ASIDE|H[1-6]|UL|OL|LI|DL|DT|DD|TABLE|THEAD|TBODY|TFOOT|TR|TD|TH|CAPTION|BLOCKQUOTE|PRE|FIGURE|FIGCAPTION|HR|BR|DETAILS|SUMMARY|CENTER|ADDRESS)$/;
function blockText(root) {
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

function bareReadability(html, url) {
  const { document } = new JSDOM(html, { url, virtualConsole: new VirtualConsole() }).window;
  const article = new Readability(document, { serializer: (el) => el }).parse();
  return article?.content ? blockText(article.content) : '';
}

function score(scorer, truthFile, predFile) {
  const stdout = execFileSync(process.execPath, [scorer, '--truth', truthFile, '--pred', predFile, '--worst', '1000000'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const [summary, ...pages] = stdout.trim().split('\n').map((line) => JSON.parse(line));
  return { summary, pages: new Map(pages.map((p) => [p.key, p])) };
}

const f = (x) => (x == null ? '  —  ' : x.toFixed(3));
const pad = (s, n) => String(s).padEnd(n);

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const truthFile = path.join(opts.corpus, 'ground-truth.json');
  const htmlDir = path.join(opts.corpus, 'html');
  if (!existsSync(truthFile) || !existsSync(htmlDir)) usage(`${opts.corpus} needs ground-truth.json and html/`);
  const scorer = findScorer(opts);
  const truth = JSON.parse(readFileSync(truthFile, 'utf8'));
  // Each page read and unzipped once, for every pass over the corpus.
  const inputs = readdirSync(htmlDir).filter((name) => /\.html?(\.gz)?$/.test(name)).sort().map((file) => {
    const key = file.replace(/\.html?(\.gz)?$/, '');
    const raw = readFileSync(path.join(htmlDir, file));
    return { key, bytes: file.endsWith('.gz') ? gunzipSync(raw) : raw, url: truth[key]?.url };
  });

  const ours = {};
  const asRead = {};
  const bare = {};
  const errors = {};
  let oursMs = 0;
  let bareMs = 0;
  for (const page of inputs) {
    const { key, bytes, url } = page;
    let t = performance.now();
    try {
      const doc = extractPage(page);
      ours[key] = { articleBody: pageWords(doc) };
      asRead[key] = { articleBody: bodyText(doc, { figures: false }) };
    } catch (error) {
      errors[key] = String(error?.message ?? error).split('\n')[0];
      ours[key] = { articleBody: '' };
      asRead[key] = { articleBody: '' };
    }
    oursMs += performance.now() - t;
    await turn();
    if (opts.baseline) {
      t = performance.now();
      try {
        bare[key] = { articleBody: bareReadability(bytes.toString('utf8'), url) };
      } catch {
        bare[key] = { articleBody: '' };
      }
      bareMs += performance.now() - t;
      await turn();
    }
  }
  writeFileSync(opts.out, `${JSON.stringify(ours, null, 1)}\n`);
  const mine = score(scorer, truthFile, opts.out);
  const asReadFile = opts.out.replace(/(\.json)?$/, '.as-read.json');
  writeFileSync(asReadFile, `${JSON.stringify(asRead, null, 1)}\n`);
  const read = score(scorer, truthFile, asReadFile);
  let base;
  if (opts.baseline) {
    const bareFile = opts.out.replace(/(\.json)?$/, '.readability.json');
    writeFileSync(bareFile, `${JSON.stringify(bare, null, 1)}\n`);
    base = score(scorer, truthFile, bareFile);
  }

  const lines = [];
  lines.push(`corpus ${opts.corpus}: ${inputs.length} pages; predictions in ${opts.out}`);
  lines.push('');
  lines.push(`${pad('', 22)}${pad('F1', 8)}${pad('prec', 8)}${pad('recall', 8)}${pad('exact', 8)}time`);
  const row = (name, s, ms) => `${pad(name, 22)}${pad(f(s.f1), 8)}${pad(f(s.precision), 8)}${pad(f(s.recall), 8)}${pad(f(s.accuracy), 8)}${(ms / 1000).toFixed(1)} s`;
  lines.push(row('clearcopy', mine.summary, oursMs));
  lines.push(`${row('  text copy as read', read.summary, 0).replace(/0\.0 s$/, '')}(with list numbers and table labels)`);
  if (base) lines.push(row('bare Readability 0.6', base.summary, bareMs));
  for (const [key, message] of Object.entries(errors)) lines.push(`error ${key}: ${message}`);

  const pages = [...mine.pages.values()].map((p) => ({ ...p, base: base?.pages.get(p.key) }));
  lines.push('');
  lines.push(`${opts.worst} worst pages (F1, precision, recall${base ? ', bare Readability F1, delta' : ''}):`);
  for (const p of [...pages].sort((a, b) => a.f1 - b.f1).slice(0, opts.worst)) {
    lines.push(`  ${f(p.f1)} ${f(p.precision)} ${f(p.recall)}${p.base ? `  ${f(p.base.f1)} ${(p.f1 - p.base.f1 >= 0 ? '+' : '') + (p.f1 - p.base.f1).toFixed(3)}` : ''}  ${p.key.slice(0, 12)}  ${p.url ?? ''}`);
  }
  if (base) {
    const worse = pages.filter((p) => p.base && p.f1 < p.base.f1 - 0.05).sort((a, b) => (a.f1 - a.base.f1) - (b.f1 - b.base.f1));
    const better = pages.filter((p) => p.base && p.f1 > p.base.f1 + 0.005).length;
    const lower = pages.filter((p) => p.base && p.f1 < p.base.f1 - 0.005).length;
    lines.push('');
    lines.push(`per-page delta vs bare Readability: ${better} better, ${lower} worse (by > 0.005), ${worse.length} more than 0.05 below`);
    for (const p of worse) lines.push(`  ${f(p.f1)} vs ${f(p.base.f1)} (${(p.f1 - p.base.f1).toFixed(3)})  ${p.key.slice(0, 12)}  ${p.url ?? ''}`);
    if (!opts.quiet) {
      lines.push('');
      lines.push('all pages by delta (clearcopy F1 − bare Readability F1):');
      for (const p of [...pages].sort((a, b) => (a.f1 - a.base.f1) - (b.f1 - b.base.f1))) {
        lines.push(`  ${(p.f1 - p.base.f1 >= 0 ? '+' : '') + (p.f1 - p.base.f1).toFixed(3)}  ${f(p.f1)} ${f(p.base.f1)}  ${p.key.slice(0, 12)}  ${p.url ?? ''}`);
      }
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  if (opts.steps) await stepReport(opts, scorer, truthFile, inputs, mine);
}

/** Each clean-up step left out in turn: F1 without it, and the pages it fixes and hurts (> 0.005). */
async function stepReport(opts, scorer, truthFile, inputs, mine) {
  const lines = ['', 'clean-up steps, each left out in turn (F1 without it; pages it fixes / hurts by > 0.005):'];
  const scratch = opts.out.replace(/(\.json)?$/, '.without-step.json');
  for (const [when, steps] of [['before Readability', PREPARE_STEPS], ['after Readability', NORMALIZE_STEPS]]) {
    lines.push(`  ${when}:`);
    for (const step of steps) {
      const without = {};
      for (const page of inputs) {
        const { key } = page;
        try {
          without[key] = { articleBody: pageWords(extractPage(page, { skipSteps: [step.name] })) };
        } catch {
          without[key] = { articleBody: '' };
        }
        await turn();
      }
      writeFileSync(scratch, JSON.stringify(without));
      const scored = score(scorer, truthFile, scratch);
      const fixed = [];
      const hurt = [];
      for (const [key, page] of mine.pages) {
        const delta = page.f1 - (scored.pages.get(key)?.f1 ?? 0);
        if (delta > 0.005) fixed.push(`${key.slice(0, 12)} +${delta.toFixed(3)}`);
        else if (delta < -0.005) hurt.push(`${key.slice(0, 12)} ${delta.toFixed(3)}`);
      }
      lines.push(`    ${pad(step.name, 24)} F1 without ${f(scored.summary.f1)}  fixes ${fixed.length}, hurts ${hurt.length}`);
      if (fixed.length) lines.push(`      fixes: ${fixed.join(', ')}`);
      if (hurt.length) lines.push(`      hurts: ${hurt.join(', ')}`);
    }
  }
  rmSync(scratch, { force: true });
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
