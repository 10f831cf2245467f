import path from 'node:path';
import { ClearcopyError, describeError } from '../errors.js';
import { EXIT, exitCodeFor } from '../exit-code.js';
import { extract } from '../extract/index.js';
import { loadFile } from '../load/file.js';
import type { PageResult, RunResult } from '../model/run-result.js';
import { writeFileAtomic } from '../output.js';
import { renderFiles } from '../pipeline.js';
import { htmlReporter } from '../report/html.js';
import { pageJsonReport } from '../report/json.js';
import { loadTemplates } from '../render/templates.js';
import { renderText } from '../render/text.js';
import { VERSION } from '../version.js';
import { HELP, parseCliArgs, type CliArgs } from './args.js';

/** Runs the CLI; returns the exit code. Only this layer prints or writes reports. */
export async function main(argv: string[], io = { out: process.stdout, err: process.stderr }): Promise<number> {
  let args: CliArgs;
  try {
    args = parseCliArgs(argv);
  } catch (error) {
    io.err.write(`${describeError(error)}\n`);
    return EXIT.FATAL;
  }
  if (args.command === 'help') {
    io.out.write(`${HELP}\n`);
    return EXIT.PASS;
  }
  if (args.command === 'version') {
    io.out.write(`${VERSION}\n`);
    return EXIT.PASS;
  }
  try {
    if (args.command === 'text') return await textCommand(args, io);
    return await renderCommand(args, io);
  } catch (error) {
    io.err.write(`${error instanceof ClearcopyError ? error.message : `clearcopy: unexpected error: ${describeError(error)}`}\n`);
    return EXIT.FATAL;
  }
}

async function textCommand(args: CliArgs, io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream }): Promise<number> {
  const templates = loadTemplates(args.templates);
  const input = args.inputs[0]!;
  try {
    const page = await loadFile(input, args.maxBytes ? { maxBytes: args.maxBytes } : {});
    const doc = extract(page);
    io.out.write(renderText(doc, templates, { width: args.textWidth, links: args.links }));
    return EXIT.PASS;
  } catch (error) {
    if (!(error instanceof ClearcopyError)) throw error;
    io.err.write(`${error.message}\n`);
    return EXIT.GATE_FAILED;
  }
}

async function renderCommand(args: CliArgs, io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream }): Promise<number> {
  const run = await renderFiles(args.inputs, {
    outDir: args.out,
    ...(args.templates ? { templatesDir: args.templates } : {}),
    ...(args.maxBytes ? { maxBytes: args.maxBytes } : {}),
    text: { width: args.textWidth, links: args.links },
    audit: args.audit,
    auditor: {
      standard: args.standard,
      ...(args.timeoutMs ? { timeoutMs: args.timeoutMs } : {}),
      ...(args.concurrency ? { concurrency: args.concurrency } : {}),
      ...(args.chrome ? { browserPath: args.chrome } : {}),
    },
    onProgress: (event) => {
      if (event.type !== 'page') return;
      const line = pageLine(event.page, event.done, event.total);
      if (event.page.status === 'failed') io.err.write(`${line}\n`);
      else if (!args.quiet) io.out.write(`${line}\n`);
    },
  });
  await writeReports(run, args.reports);
  const code = exitCodeFor(run, { failOn: args.failOn, threshold: args.threshold });
  io.out.write(`${summaryLine(run, args)}\n`);
  return code;
}

/** Writes `<reports>/<name>.json` for every page and `<reports>/index.html` for the run. */
async function writeReports(run: RunResult, dir: string): Promise<void> {
  for (const page of run.pages) await writeFileAtomic(dir, `${page.name}.json`, pageJsonReport(run, page));
  await writeFileAtomic(dir, 'index.html', htmlReporter(run, { reportDir: path.resolve(dir) }));
}

function pageLine(page: PageResult, done: number, total: number): string {
  const counter = `[${done}/${total}]`;
  if (page.status === 'failed') return `${counter} ✗ ${page.error?.message ?? page.input}`;
  const { error, warning, notice } = page.counts;
  const audit = page.audited ? `${error} errors, ${warning} warnings, ${notice} notices` : 'not audited';
  return `${counter} ${error ? '✗' : '✓'} ${page.outputs?.html ?? page.name}: ${audit}`;
}

function summaryLine(run: RunResult, args: CliArgs): string {
  const t = run.totals;
  const failed = t.failedPages ? `, ${t.failedPages} failed` : '';
  const audit = args.audit ? ` ${run.standard}: ${t.error} errors, ${t.warning} warnings, ${t.notice} notices.` : ' (not audited)';
  return `clearcopy: ${t.pages} pages${failed}.${audit} Copies in ${args.out}/, reports in ${args.reports}/index.html`;
}
