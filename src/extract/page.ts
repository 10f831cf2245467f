import { DEFAULT_MAX_ELEMENTS } from '../defaults.js';
import { ClearcopyError } from '../errors.js';
import type { LoadedPage } from '../load/file.js';
import type { ClearDoc } from '../model/document.js';
import { flattenDeepNesting } from './dom.js';
import { extract, type ExtractOptions } from './index.js';

/**
 * Extracts a loaded page as every command does: one linear pass over the tags before jsdom refuses
 * a page with too many elements before building it (a 30 MB page takes minutes and gigabytes) and
 * flattens pathological nesting; then {@link extract}. The element check uses the same code and
 * words as extract's own check after parsing, so reports and the cache treat both alike.
 * `label` names the page in errors.
 */
export function extractPage(loaded: LoadedPage, options: ExtractOptions = {}, label: string = loaded.source.path ?? loaded.source.url ?? loaded.source.name): ClearDoc {
  const scan = flattenDeepNesting(loaded.html);
  const maxElements = options.maxElements ?? DEFAULT_MAX_ELEMENTS;
  if (scan.elements > maxElements) {
    throw new ClearcopyError('INPUT_UNREADABLE', `${label}: ${scan.elements} elements is over the ${maxElements}-element limit (raise it with --max-elements)`, { file: loaded.source.path });
  }
  const page = scan.html === loaded.html ? loaded : { ...loaded, html: scan.html };
  return extract(page, options);
}
