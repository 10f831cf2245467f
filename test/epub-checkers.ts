// The real EPUB checkers, as the tests run them: W3C EPUBCheck (Java) and DAISY Ace (in Chromium).
import { execFile } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { deflateRawSync } from 'node:zlib';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { ROOT } from './helpers.js';

const run = promisify(execFile);

/** Debian's epubcheck package (CI installs it: `.ci/run`). */
export const EPUBCHECK_JAR = '/usr/share/java/epubcheck.jar';

/** EPUBCheck's verdict: its counts line ("Messages: 0 fatals / 0 errors / 0 warnings / 0 infos") and every message. */
export interface EpubcheckResult { summary: string; fatals: number; errors: number; warnings: number; output: string }

export async function epubcheck(file: string): Promise<EpubcheckResult> {
  if (!existsSync(EPUBCHECK_JAR)) throw new Error(`${EPUBCHECK_JAR} is missing: install Debian's epubcheck package (apt-get install epubcheck), as .ci/run does`);
  const { stdout, stderr } = await run('java', ['-jar', EPUBCHECK_JAR, file], { maxBuffer: 64 * 1024 * 1024 }).catch((error: { stdout: string; stderr: string }) => error);
  const output = `${stdout}\n${stderr}`;
  const match = /Messages: (\d+) fatals? \/ (\d+) errors? \/ (\d+) warnings?[^\n]*/.exec(output);
  if (!match) throw new Error(`EPUBCheck gave no summary:\n${output}`);
  return { summary: match[0], fatals: Number(match[1]), errors: Number(match[2]), warnings: Number(match[3]), output };
}

/** One of Ace's findings: the rule, its impact and the document it is in. */
export interface AceViolation { rule: string; impact: string; document: string; description: string }
export interface AceResult { outcome: string; violations: AceViolation[]; metadata: { missing: string[]; present: string[] }; summary: string }

/** The browser Ace runs in: the project's Chromium (Ace's puppeteer downloads none). */
function chromium(): string {
  const found = [process.env.CLEARCOPY_CHROME, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p));
  if (!found) throw new Error('no Chromium for DAISY Ace: install chromium (apt-get install chromium) or set CLEARCOPY_CHROME');
  return found;
}

/** Runs DAISY Ace (`ace-cli -f -s -o DIR book.epub`) and reads `report.json`. */
export async function ace(file: string): Promise<AceResult> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'clearcopy-ace-'));
  try {
    await run(process.execPath, [path.join(ROOT, 'node_modules', '@daisy', 'ace-cli', 'bin', 'ace.js'), '-f', '-s', '-o', outDir, file], {
      env: { ...process.env, PUPPETEER_EXECUTABLE_PATH: chromium(), PUPPETEER_SKIP_DOWNLOAD: '1' },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 600_000,
    });
    const report = JSON.parse(readFileSync(path.join(outDir, 'report.json'), 'utf8')) as AceReport;
    const violations = report.assertions.flatMap((doc) => doc.assertions.map((a) => ({
      rule: a['earl:test']['dct:title'], impact: a['earl:test']['earl:impact'], document: doc['earl:testSubject'].url, description: a['earl:result']['dct:description'],
    })));
    const outcome = report['earl:result']['earl:outcome'];
    const metadata = { missing: report['a11y-metadata'].missing, present: report['a11y-metadata'].present };
    return { outcome, violations, metadata, summary: `Ace: ${outcome}, ${violations.length} violations${violations.length ? ` (${[...new Set(violations.map((v) => v.rule))].join(', ')})` : ''}` };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

interface AceReport {
  'earl:result': { 'earl:outcome': string };
  'a11y-metadata': { missing: string[]; present: string[] };
  assertions: { 'earl:testSubject': { url: string }; assertions: { 'earl:test': { 'dct:title': string; 'earl:impact': string }; 'earl:result': { 'dct:description': string } }[] }[];
}

/** A zip's entries in stored order, with their bytes and whether each was stored uncompressed. */
export interface ZipEntry { name: string; bytes: Buffer; stored: boolean; extraFieldLength: number }

export function readZip(file: string): Promise<ZipEntry[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const entries: ZipEntry[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            entries.push({ name: entry.fileName, bytes: Buffer.concat(chunks), stored: entry.compressionMethod === 0, extraFieldLength: entry.extraFieldLength });
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/** Writes entries back as an EPUB (mimetype first, stored): for books broken on purpose. */
export function writeZip(entries: readonly ZipEntry[], file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    for (const entry of entries) zip.addBuffer(entry.bytes, entry.name, { compress: entry.name !== 'mimetype' });
    zip.end();
    const out = createWriteStream(file);
    zip.outputStream.pipe(out).on('close', () => resolve()).on('error', reject);
  });
}



/** The text of one entry. */
export function entryText(entries: readonly ZipEntry[], name: string): string {
  const entry = entries.find((e) => e.name === name);
  if (!entry) throw new Error(`${name}: not in the book (${entries.map((e) => e.name).join(', ')})`);
  return entry.bytes.toString('utf8');
}

/** A real PNG of `width`×`height` pixels of noise (so its data: URL is long enough to be a picture, not a placeholder). */
export function pngImage(width: number, height: number, seed = 1): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
  const crc = (buf: Buffer) => { let c = 0xffffffff; for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; header[9] = 2; // 8-bit RGB
  let state = seed;
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let i = 0; i < raw.length; i++) { state = (state * 1103515245 + 12345) >>> 0; raw[i] = i % (width * 3 + 1) === 0 ? 0 : state >>> 24; }
  // zlib stream: header, raw deflate, Adler-32
  let a = 1, b = 0;
  for (const byte of raw) { a = (a + byte) % 65521; b = (b + a) % 65521; }
  const adler = Buffer.alloc(4); adler.writeUInt32BE(((b << 16) | a) >>> 0);
  const idat = Buffer.concat([Buffer.from([0x78, 0x9c]), deflateRawSync(raw), adler]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}
