// The text and SSML copies through a real speech engine (espeak-ng, Debian's package).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JSDOM } from 'jsdom';
import { afterAll, describe, expect, it } from 'vitest';
import { extract } from '../../src/extract/index.js';
import { loadFile } from '../../src/load/file.js';
import { renderSsml } from '../../src/render/ssml.js';
import { loadTemplates } from '../../src/render/templates.js';
import { renderText } from '../../src/render/text.js';
import { SAMPLES } from '../helpers.js';

const espeak = spawnSync('espeak-ng', ['--version']).status === 0;
const dir = mkdtempSync(path.join(os.tmpdir(), 'cc-speech-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const seed = async () => extract(await loadFile(path.join(SAMPLES, 'huffpost-india-kerry.html')));

describe('SSML copy', () => {
  it('is well-formed SSML 1.1 with the language, the headline emphasised and the figure marked', async () => {
    const ssml = renderSsml(await seed());
    const { document } = new JSDOM(ssml, { contentType: 'application/xml' }).window;
    expect(document.querySelector('parsererror')).toBeNull();
    const speak = document.documentElement;
    expect(speak.localName).toBe('speak');
    expect(speak.getAttribute('xml:lang')).toBe('en');
    expect(speak.querySelector('emphasis[level="strong"]')?.textContent).toBe('US Secretary John Kerry Urges Pakistan To Push Harder Against Extremists');
    expect(ssml).toContain('<emphasis level="reduced">Image.</emphasis></s> <prosody rate="95%">US Secretary of State John Kerry. Photo: Adnan Abidi/Reuters</prosody>');
    expect(ssml.split('US Secretary of State John Kerry.').length - 1).toBe(1);
    expect(speak.querySelectorAll('p').length).toBeGreaterThanOrEqual(9);
  });
  it('escapes text so page content can never break the XML', async () => {
    const doc = await seed();
    doc.meta.title = 'Fish & <chips> "quoted"';
    const ssml = renderSsml(doc);
    expect(ssml).toContain('Fish &amp; &lt;chips&gt; &quot;quoted&quot;');
    expect(new JSDOM(ssml, { contentType: 'application/xml' }).window.document.querySelector('parsererror')).toBeNull();
  });
});

describe.skipIf(!espeak)('spoken by espeak-ng', () => {
  it('speaks the text copy without error', async () => {
    const text = renderText(await seed(), loadTemplates());
    const input = path.join(dir, 'seed.txt');
    const wav = path.join(dir, 'seed.wav');
    writeFileSync(input, text);
    const result = spawnSync('espeak-ng', ['-v', 'en', '-f', input, '-w', wav], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    // About 2 minutes of 22 kHz 16-bit audio: well over a megabyte, and a valid RIFF/WAVE file.
    expect(statSync(wav).size).toBeGreaterThan(1_000_000);
    expect(readFileSync(wav).subarray(0, 4).toString()).toBe('RIFF');
  });
  it('speaks the SSML copy (espeak-ng -m) without error, no markup read aloud', async () => {
    const input = path.join(dir, 'seed.ssml');
    writeFileSync(input, renderSsml(await seed()));
    const wav = path.join(dir, 'seed-ssml.wav');
    const result = spawnSync('espeak-ng', ['-m', '-v', 'en', '-f', input, '-w', wav], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    expect(statSync(wav).size).toBeGreaterThan(1_000_000);
    // The phonemes espeak would say contain no tag names (it parsed the markup, not read it).
    const phonemes = execFileSync('espeak-ng', ['-m', '-q', '-x', '-v', 'en', '-f', input], { encoding: 'utf8' });
    expect(phonemes).not.toMatch(/pr'0sodi|'ɛmfəsɪs|emf@sIs/);
  });
});
