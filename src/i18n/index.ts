// clearcopy's own words in the copy's language: catalogs, the per-document Localizer, the Handlebars
// helpers every template (article, EPUB, collection index) takes them through, and the check.
export { loadCatalogs, builtInLocalesDir, placeholders, catalogProblems, missingKeys, untranslatedKeys, SOURCE_LANGUAGE, type Catalog, type CatalogSet } from './catalog.js';
export { Localizer, localizerFor, findCatalog, requireCatalog, sameLanguage, formatDate, type LocalizerOptions, type MessageValue, type MessageSource } from './localizer.js';
export { registerMessageHelpers, type MessageData } from './handlebars.js';
export { languageOfPartsProblems, textLanguageProblems, pageWordsOf, PAGE_WORDS, type LanguageOfPartsProblem } from './check.js';
