import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { JSDOM } from 'jsdom';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SAMPLES = path.join(ROOT, 'samples');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');
export const CLI = path.join(ROOT, 'dist', 'cli', 'bin.js');
/** The shared corpus beside the repo, when it is there (CI and developers' machines); undefined on a user's fresh clone. */
export const SHARED = [path.join(ROOT, '..', 'shared')].find((dir) => existsSync(path.join(dir, 'corpus')));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real, built CLI (`dist/cli/bin.js`) as a user would. */
export function runCli(args: string[], options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? ROOT, env: { ...process.env, NO_COLOR: '1', ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** What a screen reader would read from an HTML copy: text and each image's alt text, in order, without aria-hidden or hidden content. */
export function readableText(html: string): string {
  const { document } = new JSDOM(html).window;
  const parts: string[] = [];
  const walk = (node: Node) => {
    if (node.nodeType === 3) parts.push(node.textContent ?? '');
    else if (node.nodeType === 1) {
      const el = node as Element;
      if (['STYLE', 'SCRIPT', 'HEAD'].includes(el.tagName) || el.getAttribute('aria-hidden') === 'true' || el.hasAttribute('hidden')) return;
      if (el.tagName === 'IMG') parts.push(` ${el.getAttribute('alt') ?? ''} `);
      if (/^(P|H\d|LI|FIGCAPTION|FIGURE|TD|TH|DIV|SECTION|BLOCKQUOTE|PRE|BR|SPAN)$/.test(el.tagName)) parts.push(' ');
      for (const child of el.childNodes) walk(child);
      if (/^(P|H\d|LI|FIGCAPTION|TD|TH|DIV|SECTION|BLOCKQUOTE|PRE|SPAN)$/.test(el.tagName)) parts.push(' ');
    }
  };
  walk(document.body);
  return collapse(parts.join(''));
}

/** Whitespace collapsed to single spaces. */
export function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Occurrences of `needle` in `haystack`. */
export function occurrences(haystack: string, needle: string): number {
  let count = 0;
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + needle.length)) count++;
  return count;
}

/** Parses HTML into a document for structural checks. */
export function parse(html: string): Document {
  return new JSDOM(html).window.document;
}

/** Closes a test server without waiting for a browser's idle keep-alive sockets, which a
 *  plain `close()` waits on until the browser itself goes (after the hook has timed out). */
export function closeServer(server: Server | undefined): Promise<void> {
  if (!server) return Promise.resolve();
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
}
