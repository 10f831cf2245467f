/** One row of a before/after chart: a label and the two counts. */
export interface ComparisonRow {
  label: string;
  /** Issues in the original archived page. */
  before: number;
  /** Issues in clearcopy's copy. */
  after: number;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * A horizontal bar chart of issues before (the original page) and after (the copy), one pair of
 * bars per row, as inline SVG with a title and a text alternative that states every number. It is
 * meant to sit next to a data table with the same numbers, for readers who cannot see it.
 * Colours are told apart by pattern too (solid / outlined), never by colour alone.
 */
export function comparisonChart(rows: readonly ComparisonRow[], options: { id: string; title: string }): string {
  const labelWidth = 150;
  const barArea = 420;
  const rowHeight = 34;
  const max = Math.max(1, ...rows.flatMap((r) => [r.before, r.after]));
  const height = rows.length * rowHeight + 40;
  const scale = (n: number) => Math.max(n > 0 ? 2 : 0, Math.round((n / max) * barArea));
  const summary = rows.map((r) => `${r.label}: ${r.before} before, ${r.after} after`).join('; ');
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="${options.id}-title ${options.id}-desc" viewBox="0 0 ${labelWidth + barArea + 60} ${height}" width="100%" class="chart">`,
    `<title id="${options.id}-title">${escape(options.title)}</title>`,
    `<desc id="${options.id}-desc">${escape(summary || 'No issues before or after.')}</desc>`,
    `<g font-family="system-ui, sans-serif" font-size="13" fill="currentColor">`,
    `<rect x="${labelWidth}" y="4" width="14" height="10" fill="currentColor"/><text x="${labelWidth + 20}" y="13">original page</text>`,
    `<rect x="${labelWidth + 140}" y="4" width="14" height="10" fill="none" stroke="currentColor" stroke-width="2"/><text x="${labelWidth + 160}" y="13">clearcopy copy</text>`,
  ];
  rows.forEach((row, i) => {
    const y = 30 + i * rowHeight;
    parts.push(
      `<text x="0" y="${y + 16}">${escape(row.label)}</text>`,
      `<rect x="${labelWidth}" y="${y}" width="${scale(row.before)}" height="12" fill="currentColor"/>`,
      `<text x="${labelWidth + scale(row.before) + 6}" y="${y + 11}">${row.before}</text>`,
      `<rect x="${labelWidth}" y="${y + 15}" width="${scale(row.after)}" height="12" fill="none" stroke="currentColor" stroke-width="2"/>`,
      `<text x="${labelWidth + scale(row.after) + 6}" y="${y + 26}">${row.after}</text>`,
    );
  });
  parts.push('</g>', '</svg>');
  return parts.join('\n');
}
