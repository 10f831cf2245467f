export { createEpubBuilder, writeEpub, uuidFrom, type EpubBuilder, type EpubOptions, type AddOptions, type EpubSummary } from './book.js';
export { renderChapter, type EpubChapter, type EpubImage, type ChapterOptions } from './chapter.js';
export { dataUrlImages, filesBesideInput, firstImage, pageImages, sniffImageType, type ImageResolver, type ResolvedImage } from './images.js';
export { loadEpubTemplates, type EpubTemplates } from './templates.js';
