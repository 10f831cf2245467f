// The layers of src/ import only downwards: the model at the bottom, the CLI at the top. A module
// that reached up (the model importing the comparison, normalisation importing the renderer) would
// tie a lower layer to a higher one's code and load order.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers.js';

/** Each folder (or top-level file) of src/ and its layer, lowest first. Equal layers may import each other. */
const LAYERS: Record<string, number> = {
  types: 0, version: 0, errors: 0, defaults: 0, output: 0, model: 0,
  lang: 1, load: 1,
  normalize: 2,
  extract: 3,
  render: 4, epub: 4,
  audit: 5, workers: 5, cache: 5, compare: 5, config: 5,
  run: 6,
  gate: 7,
  report: 8, queue: 8,
  cli: 9,
  index: 10,
};

const SRC = path.join(ROOT, 'src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(path.join(dir, entry.name)) : entry.name.endsWith('.ts') ? [path.join(dir, entry.name)] : []));
}

/** The layer name of a file in src/: its top folder, or its own name for a top-level file. */
function layerOf(file: string): string {
  const [first, second] = path.relative(SRC, file).split(path.sep);
  return second === undefined ? first!.replace(/\.(d\.)?ts$/, '') : first!;
}

/** Relative imports of a file (static, re-exports and dynamic), as paths of src/ files. */
function importsOf(file: string, text = readFileSync(file, 'utf8')): string[] {
  const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)'(\.{1,2}\/[^']+)'/g)].map((match) => match[1]!);
  return specifiers.map((specifier) => path.resolve(path.dirname(file), specifier.replace(/\.js$/, '.ts')));
}

/** Every import in `sources` that goes from a lower layer to a higher one, as "from → to". */
function upwardImports(sources: readonly string[], texts: Record<string, string> = {}): string[] {
  const found: string[] = [];
  for (const file of sources) {
    const from = layerOf(file);
    for (const target of importsOf(file, texts[file])) {
      const to = layerOf(target);
      expect(LAYERS[from], `${from} has no layer`).toBeDefined();
      expect(LAYERS[to], `${to} has no layer`).toBeDefined();
      if (LAYERS[to]! > LAYERS[from]!) found.push(`${path.relative(SRC, file)} → ${path.relative(SRC, target)}`);
    }
  }
  return found;
}

describe('layers', () => {
  it('every folder of src/ has a layer', () => {
    const layers = new Set(files(SRC).map(layerOf));
    expect([...layers].filter((layer) => LAYERS[layer] === undefined)).toEqual([]);
  });

  it('no module imports from a higher layer', () => {
    expect(upwardImports(files(SRC))).toEqual([]);
  });

  it('catches an import that reaches up, static, type-only or dynamic', () => {
    const fake = path.join(SRC, 'model', 'fake.ts');
    const texts = {
      [fake]: "import type { OriginalAudit } from '../compare/original.js';\nexport { tidyLinks } from '../render/inline.js';\nconst later = () => import('../run/engine.js');\n",
    };
    expect(upwardImports([fake], texts)).toEqual(['model/fake.ts → compare/original.ts', 'model/fake.ts → render/inline.ts', 'model/fake.ts → run/engine.ts']);
  });
});
