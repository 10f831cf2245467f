import { pageKey, type PageResult } from '../model/run-result.js';

/**
 * Turns a glob into a regular expression matching whole paths or URLs: `**` any characters
 * including `/`, `*` any characters but `/`, `?` one character but `/`, `{a,b}` either, `[abc]` a
 * class; everything else literally. A pattern without `/` matches the last path segment too
 * (`*.html` matches `a/b/c.html`), as in .gitignore.
 */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  let depth = 0;
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          source += '(?:.*/)?';
        } else source += '.*';
      } else source += '[^/]*';
    } else if (char === '?') source += '[^/]';
    else if (char === '{') {
      depth++;
      source += '(?:';
    } else if (char === '}' && depth > 0) {
      depth--;
      source += ')';
    } else if (char === ',' && depth > 0) source += '|';
    else if (char === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end === -1) source += '\\[';
      else {
        source += `[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else source += char.replace(/[.+^$()|\\/]/g, '\\$&');
  }
  const anchored = glob.includes('/') ? `^${source}$` : `(?:^|/)${source}$`;
  return new RegExp(anchored);
}

/** True when `subject` (a path with `/` separators, or a URL) matches any of the globs. */
export function matchesAny(subject: string, globs: readonly string[]): boolean {
  return globs.some((glob) => globToRegExp(glob).test(subject));
}

/** The per-page rules that apply to a page, in order. */
export function rulesFor<T extends { match: string[] }>(page: Pick<PageResult, 'input'>, rules: readonly T[] = []): T[] {
  const key = pageKey(page);
  return rules.filter((rule) => matchesAny(key, rule.match));
}
