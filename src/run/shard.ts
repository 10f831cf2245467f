import { createHash } from 'node:crypto';

/** One of `total` deterministic parts of the inputs; `index` counts from 1 (`--shard 2/4`). */
export interface Shard {
  index: number;
  total: number;
}

/**
 * Which shard (1…total) an input belongs to: a hash of its label (path separators made `/`), not
 * its position, so adding or removing a file moves only that file.
 */
export function shardOf(label: string, total: number): number {
  const digest = createHash('sha256').update(label.replace(/\\/g, '/')).digest();
  return (digest.readUInt32BE(0) % total) + 1;
}
