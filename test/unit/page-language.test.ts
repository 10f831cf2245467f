import { describe, expect, it } from 'vitest';
import { extract, loadBytes } from '../../src/index.js';
import { confidentLanguage } from '../../src/extract/language.js';

// Broken input met in the real-page conformance run (clearcopy lang-matches-text): a page with no
// lang and placeholder text got lang="fr" from a weak guess, and the copy read as another language.
const page = (body: string) => `<!DOCTYPE html><html><head><title>A test page</title></head><body><article><h1>Lorem</h1>${body}</article></body></html>`;
const langOf = (body: string) => extract(loadBytes(Buffer.from(page(body)), { name: 't' })).meta.lang;
const LOREM = '<p>Lorem ipsum dolor sit amet, consectetur adipisicing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.</p><p>Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat.</p>';

describe('the language of a page that declares none', () => {
  it('is not guessed from placeholder text that reads as several languages at once', () => {
    expect(confidentLanguage(LOREM.replace(/<[^>]+>/g, ' '))).toBeUndefined();
    expect(langOf(LOREM)).toBe('en');
  });
  it('is the language the text clearly reads as, even in a short article', () => {
    expect(langOf('<p>Die Bundesregierung hat am Mittwoch ein neues Gesetz zur Förderung erneuerbarer Energien beschlossen. Damit sollen bis zum Jahr 2030 mindestens achtzig Prozent des Stroms aus Wind und Sonne kommen.</p>')).toBe('de');
    expect(langOf('<p>El Gobierno aprobó este miércoles una nueva ley para fomentar las energías renovables. Con ella, al menos el ochenta por ciento de la electricidad procederá del viento y del sol en 2030.</p>')).toBe('es');
  });
});

describe('a long article with no declared language', () => {
  it('keeps the language its text reads as, though franc scores close relatives near it (la-nacion: es)', () => {
    const para = '<p>El Gobierno aprobó este miércoles una nueva ley para fomentar las energías renovables en todo el país, después de meses de debate en el Congreso y de negociaciones con las provincias y los sindicatos del sector.</p>';
    expect(langOf(para.repeat(12))).toBe('es');
  });
});
