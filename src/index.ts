/**
 * clearcopy's library API. The CLI (`clearcopy`) is a thin layer over these functions.
 * @packageDocumentation
 */
export { loadFile, loadBytes, type LoadedPage, type LoadOptions } from './load/file.js';
export { decodeHtml } from './load/decode.js';
export { extract, preparedBy, type ExtractOptions } from './extract/index.js';
export { extractPage } from './extract/page.js';
export { normalize, NORMALIZE_STEPS, type NormalizeStep } from './normalize/index.js';
export { PREPARE_STEPS, type PrepareStep } from './extract/cleanup.js';
export { loadTemplates, DEFAULT_TEMPLATES_DIR, type TemplateSet } from './render/templates.js';
export { renderHtml } from './render/html.js';
export { renderText, bodyText, type TextOptions } from './render/text.js';
export { openAuditor, type Auditor, type AuditorOptions, type AuditOutcome, type AuditScope, type PageCheck, type Standard, type RunnerName } from './audit/auditor.js';
export { findBrowser, type BrowserLocation } from './audit/browser.js';
export { openLiveAuditor, type LiveAuditor, type LiveAuditorOptions, type LiveOutcome, type PageLoadOptions } from './audit/live.js';
export { serveSite, type SiteServer } from './audit/site-server.js';
export { urlsFromSitemap, urlsFromList, type SitemapOptions } from './load/sitemap.js';
export { runPages, type PageWork, type PageDone, type RunControl, type Sources, type ProgressEvent } from './run/engine.js';
export { renderFiles, renderSources, renderPage, openRenderWork, renderCopy, type RenderOptions, type RenderStageOptions, type RenderContext, type Copy } from './run/render.js';
export { auditFiles, auditSources, auditPage, openAuditWork, type AuditRunOptions, type AuditSettings, type AuditContext, type PageAuditRule } from './run/audit.js';
// One accessible EPUB 3 book from many documents, fed page by page.
export { createEpubBuilder, writeEpub, renderChapter, loadEpubTemplates, pageImages, type EpubBuilder, type EpubOptions, type AddOptions, type EpubSummary, type EpubChapter, type EpubTemplates, type ImageResolver, type ResolvedImage } from './epub/index.js';
export { REPORTERS, type Reporter, type ReportContext } from './report/index.js';
export { applyGate, fingerprintOf, type GatePolicy, type PageRule } from './gate/gate.js';
export { baselineOf, type Baseline, type BaselineIssue } from './gate/baseline.js';
export { mergeRuns, runFromReport } from './gate/merge.js';
export { exitCodeFor, gateVerdict, EXIT, type FailOn, type Gate, type Verdict, type ExitCode, type FatalOutcome } from './gate/exit-code.js';
export { loadConfig, findConfig, type Config } from './config/index.js';
export { writeFileAtomic, safeName } from './output.js';
export { ClearcopyError, type ErrorCode } from './errors.js';
export { VERSION } from './version.js';
export type { ClearDoc, Meta, Source, Block, FigureBlock, FigureImage, Inline, ArchiveNotice } from './model/document.js';
export type { Finding, Severity, FindingSource } from './model/finding.js';
export type { RunResult, PageResult, Counts, ReportedFinding, GateSummary } from './model/run-result.js';
export { sourcesFromPaths, sourcesFromInputs, type ArchiveKind, type ExpandOptions, type SourceListing } from './load/sources.js';
export { sourceFromRef } from './load/ref.js';
export type { SourceRef } from './load/source.js';
export type { PageSource } from './load/source.js';
