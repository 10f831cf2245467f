import { stat } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../output.js';
import type { Asset } from './localize.js';

/**
 * Writes images under the output folder, each once: a file named by its content hash that is
 * already there (from another copy, or an earlier run) is left as it is. Each write is atomic.
 */
export async function writeAssets(outDir: string, assets: readonly Asset[]): Promise<void> {
  for (const asset of assets) {
    const existing = await stat(path.resolve(outDir, asset.file)).catch(() => undefined);
    if (existing?.isFile() && existing.size === asset.bytes.byteLength) continue;
    await writeFileAtomic(outDir, asset.file, asset.bytes);
  }
}

/** The `assets/…` files an HTML copy shows. */
export function assetsShownBy(html: string): string[] {
  return [...new Set([...html.matchAll(/\bsrc="(assets\/[0-9a-f]{64}\.[a-z]{3,4})"/g)].map((m) => m[1]!))];
}

/** True when every image an HTML copy shows from `assets/` is in the output folder. */
export async function assetsPresent(outDir: string, html: string): Promise<boolean> {
  for (const file of assetsShownBy(html)) {
    const info = await stat(path.resolve(outDir, file)).catch(() => undefined);
    if (!info?.isFile()) return false;
  }
  return true;
}
