// The boilerplate rules in the languages archived pages come in (German, French, Spanish, Polish…):
// what each removes, and the article text it must keep.
import { describe, expect, it } from 'vitest';
import { bodyText, extract, loadBytes } from '../../src/index.js';
import { isDateline } from '../../src/normalize/boilerplate.js';

const PROSE = 'Der Gemeinderat hat am Dienstag beschlossen, das alte Viadukt für weitere zehn Jahre für Fußgänger und Radfahrer offen zu halten.';
const MORE = 'Die Ingenieure sagten, die Steinbögen seien solide, doch die Fahrbahn brauche vor den Winterstürmen im Tal eine neue Entwässerung.';
const LAST = 'Die Arbeiten sollen im Frühjahr beginnen und bis zum Herbst dauern; der Weg bleibt währenddessen an den Wochenenden geöffnet.';
const body = `<p>${PROSE}</p><p>${MORE}</p><p>${PROSE} ${MORE}</p><p>${LAST}</p>`;
const page = (inner: string) => `<!DOCTYPE html><html lang="de"><head><title>Viadukt bleibt offen</title></head><body><article><h1>Viadukt bleibt offen</h1>${inner}</article></body></html>`;
const read = (inner: string, skipSteps: string[] = []) =>
  bodyText(extract(loadBytes(Buffer.from(page(inner)), { name: 't', url: 'https://news.example/2019/11/viadukt.html' }), { skipSteps }), { figures: false });

describe('related-links in many languages', () => {
  it.each([
    ['Auch interessant:', 'Neue Brücke über die Elbe eröffnet'],
    ['Das könnte Sie auch interessieren', 'Neue Brücke über die Elbe eröffnet'],
    ['Meistgelesene Artikel', 'Neue Brücke über die Elbe eröffnet'],
    ['À lire aussi', 'Un nouveau pont sur la Loire'],
    ['Czytaj też', 'Nowy most na Wiśle otwarty'],
  ])('drops the label %j and the linked headlines after it', (label, headline) => {
    const html = `${body}<h3>${label}</h3><p><a href="/a">${headline}</a></p><p><a href="/b">Zweite Geschichte aus der Region</a></p>`;
    const out = read(html);
    expect(out).toContain(LAST);
    expect(out).not.toContain(label);
    expect(out).not.toContain(headline);
    expect(read(html, ['related-links', 'related-content'])).toContain(headline);
  });

  it.each([
    'Lea también: Impiden ingreso a Nicaragua a reportero estadounidense',
    'VEA TAMBIÉN: Estrella de la educación no brilla para estudiantes',
    'LE PUEDE INTERESAR: La ficha del expresidente en Nueva York',
    'À lire aussi » Ballonnements, lourdeurs : quel est votre profil ?',
  ])('drops the one-line pointer %j', (line) => {
    const out = read(`<p>${PROSE}</p><p>${line}</p><p>${MORE}</p><p>${LAST}</p>`);
    expect(out).not.toContain(line.slice(0, 20));
    expect(out).toContain(MORE);
  });

  it('keeps a heading that only starts like a label ("Mehr Platz für Radfahrer")', () => {
    const out = read(`<p>${PROSE}</p><h2>Mehr Platz für Radfahrer</h2><p>${MORE}</p><p>${LAST}</p>`);
    expect(out).toContain('Mehr Platz für Radfahrer');
  });
});

describe('site-furniture', () => {
  it.each([
    'Möchten Sie den Artikel teilen?',
    'War der Artikel nützlich?',
    'Sie sind aktuell nicht eingeloggt.',
    'E-Mail (wird benötigt und nicht veröffentlicht)',
    'Time limit is exhausted. Please reload CAPTCHA.',
    'Rezept drucken',
    'zurück zur Listenansicht',
    '- Anzeige -',
    'IMPRESSUM | DATENSCHUTZ | KONTAKT',
    'Autoren:',
    'Inhaltsverzeichnis',
    '4 Min Read',
    '%d Bloggern gefällt das:',
    'Pour lire la suite',
    '> Blog > Aus den Ländern > Digitalpolitische Jahrestagung 2015',
  ])('drops %j', (line) => {
    const out = read(`<p>${PROSE}</p><p>${MORE}</p><p>${line}</p><p>${LAST}</p>`);
    expect(out).not.toContain(line);
    expect(read(`<p>${PROSE}</p><p>${MORE}</p><p>${line}</p><p>${LAST}</p>`, ['site-furniture', 'credit-lines'])).toContain(line.replace(/^- | -$/g, ''));
  });

  it('keeps prose that mentions sharing, printing or copyright', () => {
    const lines = ['Die Stadt will die Kosten mit dem Land teilen, sagte der Bürgermeister.', 'Das Copyright der Pläne liegt beim Architekturbüro, das die Brücke 1890 entwarf.'];
    const out = read(`<p>${PROSE}</p>${lines.map((l) => `<p>${l}</p>`).join('')}<p>${LAST}</p>`);
    for (const line of lines) expect(out).toContain(line);
  });

  it('drops an author box at the end ("Über den Autor" and the short bio after it), not one mid-story', () => {
    const bio = 'Hallo, ich bin Foodbloggerin und schreibe seit zehn Jahren über Brücken, Brot und die Menschen, die beides bauen.';
    const out = read(`${body}<h3>Über den Autor</h3><p>${bio}</p>`);
    expect(out).not.toContain('Über den Autor');
    expect(out).not.toContain('Foodbloggerin');
    expect(out).toContain(LAST);
  });
});

describe('post-metadata and credit-lines', () => {
  it.each([
    'This entry was posted in Allgemein. Bookmark the permalink.',
    'Erstellt am Dienstag 6. Mai 2014 um 23:30 und abgelegt unter debianforum, Linux, Tutorials',
    'Der Beitrag wurde am Mittwoch, den 27. November 2019 um 15:21 Uhr veröffentlicht und wurde unter Allgemein abgelegt.',
    'News date : 04/21/2022 Category : Press Releases',
  ])('post-metadata drops %j', (line) => {
    expect(read(`${body}<p>${line}</p>`)).not.toContain(line.slice(0, 25));
    expect(read(`${body}<p>${line}</p>`, ['post-metadata', 'datelines'])).toContain(line.slice(0, 25));
  });

  it.each([
    'Marco Odermatt, Ski-Star aus der Schweiz. © AFP / MARCO BERTORELLO',
    'Photograph by Ed Marshall, Redonda Restoration Programme',
    'Beitragsbild: Titelseite der FAZ vom 2.4.2019, Ausriss.',
    '© 2020 General Mills All Rights Reserved',
  ])('credit-lines drops %j', (line) => {
    expect(read(`<p>${PROSE}</p><p>${line}</p><p>${MORE}</p><p>${LAST}</p>`)).not.toContain(line.slice(0, 25));
  });

  it('credit-lines keeps a sentence that goes on after a © sign', () => {
    const line = 'Das Zeichen © steht für das Urheberrecht. Es schützt Werke bis siebzig Jahre nach dem Tod des Urhebers.';
    expect(read(`<p>${PROSE}</p><p>${line}</p><p>${MORE}</p><p>${LAST}</p>`)).toContain(line);
  });
});

describe('datelines in German', () => {
  it.each(['Veröffentlichung: 2. Februar 2022', 'Publiziert: 03.04.2020, 12:35', 'von Anja Schmoll-Trautmann am 14. Mai 2014, 15:40 Uhr'])('%j is a dateline', (line) => {
    expect(isDateline(line)).toBe(true);
  });
  it('a sentence with "von" and a date is not', () => {
    expect(isDateline('Von den 2019 gebauten Brücken sind bereits drei wieder gesperrt, sagte die Behörde am Montag.')).toBe(false);
  });
});

describe('disclaimers and edge-link-lines', () => {
  it.each([
    'Dieser Beitrag gibt die Meinung des Autors wieder, nicht notwendigerweise die der Redaktion.',
    'Bei diesem Beitrag handelt es sich um ein Blog aus der Community.',
  ])('disclaimers drops %j wherever it stands', (line) => {
    expect(read(`<p>${PROSE}</p><p>${line}</p><p>${MORE}</p><p>${LAST}</p>`)).not.toContain(line.slice(0, 30));
    expect(read(`<p>${PROSE}</p><p>${line}</p><p>${MORE}</p><p>${LAST}</p>`, ['disclaimers'])).toContain(line.slice(0, 30));
  });

  it('edge-link-lines drops a tag line at the start or end, keeps a linked sentence mid-story', () => {
    const tags = '<p><a href="/t/corona">Corona &amp; die Folgen</a>, <a href="/t/debatte">Debatte</a>, <a href="/t/politik">Politik</a></p>';
    const linked = '<p><a href="/a">Das Land</a> und <a href="/b">die Stadt</a> teilen sich die Kosten</p>';
    const out = read(`${tags}<p>${PROSE}</p>${linked}<p>${MORE}</p><p>${PROSE}</p><p>${LAST}</p>`);
    expect(out).not.toContain('Corona & die Folgen');
    expect(out).toContain('Das Land und die Stadt');
    expect(read(`${tags}<p>${PROSE}</p><p>${MORE}</p><p>${LAST}</p>`, ['edge-link-lines'])).toContain('Corona & die Folgen');
  });
});
