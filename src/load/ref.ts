// A page source rebuilt from its reference: how a queue worker on another machine gets the page a
// `queue add` listed (the same loaders as a local run, so a page reads the same either way).
import path from 'node:path';
import { ClearcopyError, type ErrorCode } from '../errors.js';
import { loadFile } from './file.js';
import { nameFromUrl } from './warc.js';
import { urlSource } from './remote.js';
import type { PageSource, SourceRef } from './source.js';
import { loadWarcRecord } from './warc.js';

/**
 * The page source a reference names, labelled `label` (default: the reference's own label).
 * Relative paths in it are read from `cwd` (where it was listed) but the page keeps the path as
 * given, so its messages and copy read as they would in a local run from there.
 */
export function sourceFromRef(ref: SourceRef, label = labelOfRef(ref), cwd = process.cwd()): PageSource {
  switch (ref.kind) {
    case 'file':
      return {
        label,
        rawName: path.basename(ref.path).replace(/\.[^.]+$/, ''),
        load: async (options) => {
          const page = await loadFile(path.resolve(cwd, ref.path), options).catch((error: unknown) => {
            throw error instanceof ClearcopyError ? new ClearcopyError(error.code, error.message.replace(path.resolve(cwd, ref.path), ref.path), { file: ref.path, cause: error }) : error;
          });
          page.source.path = ref.path;
          return page;
        },
        ref,
      };
    case 'url':
      return { ...urlSource(ref.url), label };
    case 'warc':
      return {
        label,
        rawName: nameFromUrl(ref.uri) || 'record',
        load: (options) => loadWarcRecord(path.resolve(cwd, ref.file), { offset: ref.offset, length: ref.length, uri: ref.uri, date: ref.date }, options, `${ref.file}#${ref.uri}`),
        ref,
      };
    case 'failing':
      return { label, rawName: 'input', load: () => Promise.reject(new ClearcopyError(ref.code as ErrorCode, ref.message, { file: label })), ref };
  }
}

/** How a reference is named in messages when no label came with it. */
export function labelOfRef(ref: SourceRef): string {
  switch (ref.kind) {
    case 'file': return ref.path;
    case 'url': return ref.url;
    case 'warc': return `${ref.file}#${ref.uri}`;
    case 'failing': return ref.message.split(':')[0] ?? 'input';
  }
}

/** The reference with its file paths made absolute (against `cwd`), so any process can follow it. */
export function absoluteRef(ref: SourceRef, cwd = process.cwd()): SourceRef {
  if (ref.kind === 'file') return { ...ref, path: path.resolve(cwd, ref.path) };
  if (ref.kind === 'warc') return { ...ref, file: path.resolve(cwd, ref.file) };
  return ref;
}
