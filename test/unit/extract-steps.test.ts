// One fixture per clean-up and normalisation step: what each removes, and what it must keep.
import { describe, expect, it } from 'vitest';
import { bodyText, extract, loadBytes, NORMALIZE_STEPS, PREPARE_STEPS } from '../../src/index.js';
import type { ClearDoc, FigureBlock } from '../../src/index.js';
import { isDateline } from '../../src/normalize/boilerplate.js';
import { crossCheckArticleBody } from '../../src/extract/crosscheck.js';
import { archiveCapture } from '../../src/extract/metadata.js';
import { parseHtml } from '../../src/extract/dom.js';

const PROSE = 'The council voted on Tuesday to keep the old viaduct open to walkers and cyclists for another decade, after a long public consultation.';
const MORE = 'Engineers said the stone arches were sound, though the deck will need new drainage before the winter storms arrive in the valley.';
const page = (body: string, head = '') => `<!DOCTYPE html><html lang="en"><head><title>Viaduct stays open</title>${head}</head><body>${body}</body></html>`;
const article = (inner: string) => page(`<article><h1>Viaduct stays open</h1>${inner}</article>`);
const extractHtml = (html: string, url = 'https://news.example/2019/11/viaduct.html'): ClearDoc => extract(loadBytes(Buffer.from(html), { name: 't', url }));
const text = (html: string, url?: string, skipSteps?: string[]) => bodyText(extract(loadBytes(Buffer.from(html), { name: 't', url: url ?? 'https://news.example/2019/11/viaduct.html' }), skipSteps ? { skipSteps } : {}), { figures: false });
const figures = (doc: ClearDoc) => doc.blocks.filter((b): b is FigureBlock => b.kind === 'figure');
const body = `<p>${PROSE}</p><p>${MORE}</p><p>${PROSE} ${MORE}</p>`;

describe('clean-up steps before Readability', () => {
  it('lists its steps in order, each named', () => {
    expect(PREPARE_STEPS.map((s) => s.name)).toEqual(['archive-notices', 'other-stories', 'headline-and-dek', 'protect-content', 'lazy-image-placeholders', 'figures', 'tracking-pixels', 'lead-figure', 'non-content-elements', 'related-content', 'clutter-by-class', 'author-boxes', 'teaser-cards', 'hover-popups', 'body-sections']);
  });

  it('skipSteps leaves a named step out (what eval:extraction --steps measures), and refuses a name that is no step', () => {
    const html = article(`<p>Updated Nov 19, 6:55 AM; Posted Nov 19, 6:51 AM</p>${body}<p>Get the latest updates right in your inbox. Subscribe to our newsletters.</p>`);
    const load = () => loadBytes(Buffer.from(html), { name: 't', url: 'https://news.example/2019/11/viaduct.html' });
    const read = (skipSteps?: string[]) => bodyText(extract(load(), skipSteps ? { skipSteps } : {}), { figures: false });
    expect(read()).not.toMatch(/6:55|Subscribe to our newsletters/);
    expect(read(['datelines'])).toContain('6:55');
    expect(read(['datelines'])).not.toContain('Subscribe to our newsletters');
    expect(read(['calls-to-action'])).toContain('Subscribe to our newsletters');
    expect(() => read(['dateline'])).toThrow(/no clean-up step is named "dateline"/);
  });

  it('author-boxes: drops the box about the author under the story, never a story inside a box so named', () => {
    const bio = 'Hallo, ich bin Foodbloggerin, Backbuchautorin, Journalistin und seit meiner Kindheit leidenschaftliche Bäckerin und schreibe hier über Kuchen.';
    const html = article(`${body}<section class="bmg-content-box bmg-author-box"><img src="/k.jpg" alt="Kathrin" width="120"><div class="author-box--content"><h3>Über Kathrin</h3><p>${bio}</p></div></section>`);
    const read = (skipSteps: string[]) => bodyText(extract(loadBytes(Buffer.from(html), { name: 't', url: 'https://news.example/a.html' }), { skipSteps }), { figures: false });
    expect(read([])).not.toContain('Foodbloggerin');
    expect(read([])).toContain('stone arches');
    expect(read(['author-boxes'])).toContain('Foodbloggerin');
    // A theme that wraps the whole story in an "author-info" box: the story stays.
    expect(text(page(`<h1>Viaduct stays open</h1><div class="author-info">${body}<p>${MORE} ${PROSE}</p></div>`))).toContain('stone arches');
  });

  it('teaser-cards: drops cards linking to other stories (with the summaries of cards of the same kind), keeps a lede classed "teaser"', () => {
    const card = (title: string) => `<section class="box teaser"><a href="/other/${title.length}.html"><span class="teaser__headline">${title}</span></a></section>`;
    const summary = '<div class="c-teaser c-teaser--Basepage"><p>Die Stiftung wurde am 23. Juni 2020 in Neustrelitz mit einem Festakt gegründet und fördert das Ehrenamt.</p></div>';
    const html = article(`<p class="teaser">The viaduct will stay open for walkers, the council said.</p>${body}${card('Dieselfahrverbote: Diese Städte sind betroffen')}${card('Autobatterie im Winter: Pflege-Tipps bei Kälte')}<div class="c-teaser c-teaser--Publication"><h3><a href="/p.pdf">Ländliche Regionen verstehen</a></h3></div>${summary}`);
    const read = (skipSteps: string[]) => bodyText(extract(loadBytes(Buffer.from(html), { name: 't', url: 'https://news.example/a.html' }), { skipSteps }), { figures: false });
    expect(read([])).not.toMatch(/Dieselfahrverbote|Autobatterie|Neustrelitz/);
    expect(read([])).toContain('The viaduct will stay open for walkers');
    expect(read(['teaser-cards'])).toMatch(/Neustrelitz/);
  });

  it('related-content: never removes the story with a "More from" label found inside its container', () => {
    // The story is written as <div> paragraphs (no <p>), and the label sits in the same wrapper.
    const html = page(`<div class="l-container"><h1>Viaduct stays open</h1><div class="zn-body__paragraph">${PROSE}</div><div class="zn-body__paragraph">${MORE}</div><div class="zn-body__paragraph">${PROSE} ${MORE}</div><div><h3>More from Business</h3><ul><li><a href="/a">Other story one</a></li><li><a href="/b">Other story two</a></li></ul></div></div>`);
    const out = text(html);
    expect(out).toContain('The council voted on Tuesday');
    expect(out).not.toContain('Other story one');
  });

  it('other-stories: on an endless-scroll page keeps the story the page is titled with, not the longest one', () => {
    const next = 'The harbour board said the old cranes will be replaced by electric ones before the summer season, at a cost of twelve million.';
    const story = (title: string, paragraphs: string[]) => `<article class="story"><h1>${title}</h1>${paragraphs.map((p) => `<p>${p}</p>`).join('')}</article>`;
    const scroll = `<div class="scroll">${story('Viaduct stays open', [PROSE, MORE, PROSE])}${story('Harbour cranes to go electric', [next, next, next, next])}</div>`;
    const html = `<!DOCTYPE html><html lang="en"><head><title>Daily News | Viaduct stays open</title></head><body>${scroll}</body></html>`;
    const read = (skipSteps: string[]) => text(html, undefined, skipSteps);
    expect(read(['other-stories'])).toContain('harbour board');
    expect(read([])).toContain('stone arches');
    expect(read([])).not.toContain('harbour board');
    expect(extractHtml(html).meta.title).toBe('Viaduct stays open');
    // Titled with neither story (or with both), the page is left to Readability.
    const untitled = html.replace('Daily News | Viaduct stays open', 'Daily News');
    expect(text(untitled)).toBe(text(untitled, undefined, ['other-stories']));
  });

  // Each box has wrappers of its own (as a page builder writes them): the boxes are not the siblings of the best-scored one.
  const box = (cls: string, inner: string) => `<div class="${cls}"><div class="container"><div class="row"><div class="col-md-12"><a class="topic" href="/thema">Thema</a></div></div><div class="row"><div class="col-md-8">${inner}</div></div></div></div>`;

  it('body-sections: keeps every box of a story written as a row of same-class boxes, not only the one Readability scores best', () => {
    const first = 'Die Nachfrage nach erneuerbaren Energien steigt, und Alternativen zu fossilen Energieträgern werden immer notwendiger für das Klima.';
    const last = 'Die Aussicht, dass erneuerbarer Dimethylether in naher Zukunft zum Heizen verfügbar ist, wird immer realistischer, sagen die Versorger.';
    const html = page(`<div class="hero"><h1>Dimethylether</h1></div>${box('band', `<p>${first}</p>`)}<div class="table-block"><table><tr><th>Formel</th><td>C2H6O</td></tr></table></div>${box('band', `<h2>Herstellung</h2><p>${PROSE}</p><p>${MORE}</p><p>${PROSE} ${MORE}</p><p>${MORE} ${PROSE}</p>`)}${box('band', `<h2>Ausblick</h2><p>${last}</p>`)}<footer><p>Impressum</p></footer>`);
    const read = (skipSteps: string[]) => text(html, undefined, skipSteps);
    expect(read(['body-sections'])).not.toContain('Die Nachfrage');
    expect(read(['body-sections'])).not.toContain('Die Aussicht');
    const out = read([]);
    expect(out.indexOf('Die Nachfrage')).toBeGreaterThanOrEqual(0);
    expect(out.indexOf('Die Nachfrage')).toBeLessThan(out.indexOf('stone arches'));
    expect(out.indexOf('Die Aussicht')).toBeGreaterThan(out.indexOf('stone arches'));
  });

  it('body-sections: leaves stories of their own (each with a headline) and boxes that are mostly not prose to Readability', () => {
    const story = (title: string, inner: string) => box('item', `<h1>${title}</h1>${inner}`);
    const next = 'The next story on this endless page is about the harbour, whose cranes are to be replaced by electric ones before the summer season.';
    const scroll = page(`${story('Viaduct stays open', body)}${story('Harbour cranes', `<p>${next}</p>`)}`);
    expect(text(scroll)).toContain('stone arches');
    expect(text(scroll)).not.toContain('harbour');
    expect(text(scroll, undefined, ['body-sections'])).toBe(text(scroll));
    const strip = box('grid', `<p>By <a href="/jane">Jane Roe</a></p><p><a href="/share">Share</a> <a href="/mail">Email</a> <a href="/x">Post</a></p><p>Never miss a story</p><p><label>Email address</label> <a href="/signup">Sign up</a></p><ul><li>News</li><li>Arts</li><li>Food</li><li>Politics</li><li>Weather</li><li>Traffic</li></ul><p>By submitting your information, you agree to receive communications from us and our partners.</p>`);
    const html = page(`<h1>Viaduct stays open</h1>${strip}${box('grid', `${body}<p>${MORE} ${PROSE}</p>`)}`);
    expect(text(html)).not.toContain('By submitting your information');
    expect(text(html)).toContain('stone arches');
    expect(text(html, undefined, ['body-sections'])).toBe(text(html));
  });

  it('lazy-image-placeholders: turns <div data-src data-alt> into an image with its alt text', () => {
    const doc = extractHtml(article(`${body}<figure><div class="js-delayed-image-load" data-src="https://img.example/a/viaduct.jpg" data-alt="Five stone arches over a river" data-width="976"></div><figcaption>The viaduct at dusk</figcaption></figure><p>${MORE}</p>`));
    expect(figures(doc)).toContainEqual(expect.objectContaining({ image: expect.objectContaining({ src: 'https://img.example/a/viaduct.jpg', alt: 'Five stone arches over a river' }) }));
  });

  it('figures: makes a figure of an image beside a caption-classed element, splitting "(Image: GETTY)" off as the credit', () => {
    const doc = extractHtml(article(`<p>${PROSE}</p><div class="photo"><p><img src="https://img.example/p.jpg" alt="Protesters" width="590" height="350"></p><span class="newsCaption">Protesters have worn masks <span class="caption">(Image: GETTY )</span></span></div><p>${MORE}</p><p>${PROSE}</p>`));
    expect(figures(doc)[0]).toMatchObject({ credit: 'GETTY' });
    expect(bodyText(doc, { figures: false })).not.toContain('Protesters have worn masks');
  });

  it('figures: drops visually hidden labels ("Image copyright") and keeps the credit', () => {
    const doc = extractHtml(article(`<p>${PROSE}</p><figure><span><img src="https://img.example/s.jpg" alt="Taylor Swift" width="976" height="549"><span class="off-screen">Image copyright</span><span class="story-image-copyright">Getty Images</span></span><figcaption><span class="off-screen">Image caption</span>Swift on stage</figcaption></figure><p>${MORE}</p><p>${PROSE}</p>`));
    expect(figures(doc)[0]).toMatchObject({ credit: 'Getty Images', image: { alt: 'Taylor Swift' } });
    expect(JSON.stringify(doc.blocks)).not.toContain('Image copyright');
  });

  it('figures: an aria-describedby caption makes the figure', () => {
    const doc = extractHtml(article(`<p>${PROSE}</p><div><img aria-describedby="cap-1" src="https://img.example/d.png" alt="A chart of open bugs" width="800" height="200"><p id="cap-1">Bugs left before release. Credit: Jane Roe</p></div><p>${MORE}</p><p>${PROSE}</p>`));
    expect(figures(doc)[0]).toMatchObject({ credit: 'Jane Roe', image: { alt: 'A chart of open bugs' } });
  });

  it('figures: an author card\'s "credit" line and avatar never become a figure or a photo credit', () => {
    const doc = extractHtml(article(`<div class="author-card"><img class="author-card__image" src="https://img.example/avatar.png" alt="" width="40" height="40"><span class="author-card__credit">With inputs from PTI</span></div><p>${PROSE}</p><figure><img src="https://img.example/k.jpg" alt="Kerry in Delhi"><figcaption>Kerry in Delhi. <span class="image-credit">Adnan Abidi/Reuters</span></figcaption></figure><p>${MORE}</p><p>${PROSE}</p>`));
    expect(figures(doc).map((f) => f.credit)).toEqual(['Adnan Abidi/Reuters']);
  });

  it('tracking-pixels: keeps a content photo written with alt="" (flagged for a description), drops a divider', () => {
    const doc = extractHtml(article(`<p>${PROSE}</p><p><img class="article-image lazy" src="https://img.example/big.jpg" alt="" width="auto"></p><p><img src="/divider.png" alt=""></p><p>${MORE}</p><p>${PROSE}</p>`));
    expect(figures(doc)).toHaveLength(1);
    expect(figures(doc)[0]).toMatchObject({ needsDescription: true, image: { src: 'https://img.example/big.jpg', alt: '' } });
    expect(doc.findings.map((f) => f.code)).toContain('clearcopy/needs-human-description');
  });

  it('non-content-elements: keeps an aria-hidden image that has alt text (a formula\'s image beside hidden MathML)', () => {
    const doc = extractHtml(article(`<p>${PROSE} The identity <img src="https://img.example/math/1.svg" aria-hidden="true" alt="A^{-1}A=I"> holds.</p><p>${MORE}</p><p>${PROSE}</p>`));
    expect(figures(doc).map((f) => f.image.alt)).toEqual(['A^{-1}A=I']);
  });

  it('hover-popups: removes a hover card nested in a sentence, so its words are not glued in', () => {
    const out = text(article(`<p>A man threatened Rep. <span class="rollover-people"><a href="/people/x">Ilhan Omar</a><span class="rollover-people-block"><a href="/o">Other headline about something else</a></span></span> in calls, prosecutors said. ${PROSE}</p><p>${MORE}</p><p>${PROSE}</p>`));
    expect(out).toContain('Rep. Ilhan Omar in calls');
    expect(out).not.toContain('Other headline');
  });

  it('headline-and-dek: finds an "intro" or "abstract" box under the headline the page is titled with, not a menu\'s "intro" under a hidden h1, nor an author line', () => {
    const intro = 'In two districts the viaduct has been closed since spring. What the council decided, and what walkers can expect.';
    const menu = '<h1 class="visually-hidden">Navigation</h1><div class="burger-menu-intro"><a href="/login">Login</a> <a href="/abo">Abonnement und Newsletter</a></div>';
    const story = `<header><h2 class="content__title">Viaduct stays open</h2><div class="content__intro">${intro}</div><div class="content__intro-author">von Jane Roe</div></header><div class="text">${body}</div>`;
    const doc = extractHtml(page(`${menu}${'<div><span>Menu item</span></div>'.repeat(45)}${story}`));
    expect(doc.meta.dek).toBe(intro);
    expect(bodyText(doc, { figures: false })).not.toContain('Abonnement');
    // The site's name in an h2 (its words are in the title too) is no headline to find a dek under,
    // and a lead video's caption box is no dek.
    const titled = (b: string) => `<!DOCTYPE html><html lang="en"><head><title>Viaduct stays open - The Daily Courier</title></head><body>${b}</body></html>`;
    const promo = extractHtml(titled(`<h2 class="branding">The Daily Courier</h2><div class="bar-subhead">Get the Courier. As low as $1.88 a week</div>${'<div><span>Menu item</span></div>'.repeat(45)}<h1>Viaduct stays open</h1><div class="lead-video"><figure><figcaption>Media caption The mayor spoke to reporters on Tuesday</figcaption></figure></div><div>${body}</div>`));
    expect(promo.meta.dek).toBeUndefined();
    // An author line in an "intro" box is no dek.
    const byAuthor = extractHtml(page(`<h1>Viaduct stays open</h1><div class="page-intro">von Daniel Braun, Davor Pasoski</div><div>${body}</div>`));
    expect(byAuthor.meta.dek).toBeUndefined();
  });

  it('protect-content: keeps a tweet quoted in the story, out of its "social" wrapper and with its text when it ends with a link', () => {
    const tweet = (inner: string) => `<div class="social-media-embed"><blockquote class="twitter-tweet"><p lang="en" dir="ltr">${inner}</p>— Dianna Anderson (@dianna) <a href="https://twitter.com/dianna/status/1">November 18, 2019</a></blockquote><script async src="https://platform.twitter.com/widgets.js"></script></div>`;
    const html = article(`${body}${tweet('Yes this is real and the state spent nearly half a million dollars on it')}${tweet('⭐️⭐️⭐️<br><br>Highlights from our win at Villa Park <a href="https://t.co/x">pic.twitter.com/x</a>')}<p>${MORE}</p>`);
    const read = (skipSteps: string[]) => text(html, undefined, skipSteps);
    expect(read(['protect-content'])).not.toContain('half a million');
    expect(read([])).toContain('> Yes this is real and the state spent nearly half a million dollars on it');
    expect(read([])).toContain('> Highlights from our win at Villa Park pic.twitter.com/x');
    expect(read([])).toContain('> — Dianna Anderson (@dianna) November 18, 2019');
  });

  it('headline-and-dek: keeps the lede paragraph even when the meta description repeats it', () => {
    const doc = extractHtml(page(`<article><h1>Viaduct stays open</h1><p id="summary">${PROSE}</p><p>${MORE}</p><p>${MORE} ${PROSE}</p></article>`, `<meta property="og:description" content="${PROSE}">`));
    expect(bodyText(doc, { figures: false })).toContain('The council voted on Tuesday');
    expect(doc.meta.dek).toBeUndefined();
  });

  it('data tables keep their images (not their icons) as figures after the table', () => {
    const doc = extractHtml(article(`<p>${PROSE}</p><table><tr><th>Part</th><th>Photo</th><th>Done</th></tr><tr><td>Deck</td><td><img src="https://img.example/deck.jpg" alt="The new deck" width="300" height="200"></td><td><img src="https://img.example/tick.png" width="20" alt=""></td></tr></table><p>${MORE}</p><p>${PROSE}</p>`));
    expect(figures(doc).map((f) => f.image.alt)).toEqual(['The new deck']);
  });
});

describe('normalisation steps after Readability', () => {
  it('site-furniture: drops "load more" buttons in several languages, keeps a sentence that starts alike', () => {
    const out = text(article(`${body}<p>Lade weitere Inhalte ...</p><p>Load more stories</p><p>Voir plus</p><p>Load more soil onto the deck before the storms, the engineers advised the council.</p>`));
    expect(out).not.toMatch(/Lade weitere|Load more stories|Voir plus/);
    expect(out).toContain('Load more soil onto the deck');
  });

  it('embed-consent: drops the consent box in place of an embedded post or video, keeps prose about consent', () => {
    const box = 'Wir respektieren deine Privatsphäre und stellen deshalb ohne dein Einverständnis keine Verbindung zu Twitter her. Hier kannst du deine Einstellungen verwalten, um eine Verbindung zu den Social-Media-Kanälen herzustellen.';
    const video = 'By loading the video, you agree to YouTube\'s privacy policy. Learn more about it in the settings of this site.';
    const prose = 'The council said residents who agree to the new rules can load their bicycles onto the viaduct lift without a permit from next spring.';
    const html = article(`${body}<p>${box}</p><p>${video}</p><p>${prose}</p>`);
    const read = (skipSteps: string[]) => bodyText(extract(loadBytes(Buffer.from(html), { name: 't', url: 'https://news.example/a.html' }), { skipSteps }), { figures: false });
    expect(read([])).not.toMatch(/Privatsphäre|privacy policy/);
    expect(read([])).toContain('load their bicycles');
    expect(read(['embed-consent'])).toMatch(/Privatsphäre/);
  });

  it('lists its steps in order', () => {
    expect(NORMALIZE_STEPS.map((s) => s.name)).toEqual(['drop-repeated-header', 'bare-urls', 'datelines', 'caption-after-image', 'related-links', 'calls-to-action', 'end-matter', 'site-furniture', 'embed-consent', 'post-metadata', 'credit-lines', 'disclaimers', 'edge-link-lines', 'figure-words-once', 'duplicate-figures', 'one-stop-per-address', 'heading-levels', 'undescribed-images']);
  });

  it.each([
    'Updated Nov 19, 6:55 AM;Posted Nov 19, 6:51 AM',
    'By Justine Coleman - 11/18/19 11:04 PM EST',
    'PUBLISHED: 10:48, Tue, Nov 19, 2019',
    'segunda-feira, 22 de janeiro de 2018 às 0:13',
    'November 19, 2019 | 4:20am | Updated November 19, 2019 | 9:32pm',
    'Updated at 1:23 p.m.',
  ])('datelines: %j is a dateline', (line) => {
    expect(isDateline(line)).toBe(true);
  });
  it.each([
    '10 p.m.',
    'The meeting is on Nov. 20, 2019 at 5 PM in the town hall.',
    'In 2019 the council closed the viaduct for repairs.',
  ])('datelines: %j is not (a live story\'s time heading, or prose)', (line) => {
    expect(isDateline(line)).toBe(false);
  });
  it('datelines: removes the dateline paragraph from the body', () => {
    expect(text(article(`<p>Updated Nov 19, 6:55 AM; Posted Nov 19, 6:51 AM</p>${body}`))).not.toContain('6:55');
  });

  it('calls-to-action: drops "Subscribe to…" and "Follow X on Twitter", keeps prose about subscriptions', () => {
    const out = text(article(`${body}<p>Small investors have welcomed the deal, subscribing for so many shares they will be allotted the maximum.</p><p>Get the latest updates right in your inbox. Subscribe to our newsletters.</p><p>Follow Newsbeat on Instagram, Facebook, Twitter and YouTube.</p>`));
    expect(out).toContain('subscribing for so many shares');
    expect(out).not.toContain('Subscribe to our newsletters');
    expect(out).not.toContain('Follow Newsbeat');
  });

  it('related-links: drops a "More:" label with its link list, keeps an in-body list', () => {
    const out = text(article(`<p>${PROSE}</p><h3>More:</h3><ul><li><h2><a href="/a">Afghan politician sees talks as only hope</a></h2></li></ul><ul><li><h2><a href="/b">China invites officials for talks</a></h2></li></ul><p>${MORE}</p><ul><li>Stone arches</li><li>New drainage</li></ul><p>${PROSE}</p>`));
    expect(out).not.toContain('Afghan politician');
    expect(out).not.toMatch(/^More:/m);
    expect(out).toContain('- Stone arches');
  });

  it('related-links: drops "SEE MORE: …" pointers and linked headlines after the last paragraph', () => {
    const out = text(article(`${body}<p>SEE MORE: Hong Kong protests: students under siege</p><p>${PROSE}</p><p><a href="/x">Fans want the band in the Hall</a></p><p><a href="/y">25 worst inductees ever</a></p>`));
    expect(out).not.toContain('SEE MORE');
    expect(out).not.toContain('Fans want the band');
  });

  it('end-matter: drops "contributed to this report", "Write to … at …" and a comment-moderation note at the end only', () => {
    const out = text(article(`<p>Associated Press writers contributed to this report, the editor noted in a mid-story aside about sourcing and methods used here.</p>${body}<p>Associated Press writers Alan Fram and Zeke Miller contributed to this report.</p><p>Write to Al Root at allen.root@example.com</p><p>Note: we are temporarily moderating all comments submitted.</p>`));
    expect(out).toContain('mid-story aside');
    expect(out).not.toContain('Alan Fram');
    expect(out).not.toContain('allen.root');
    expect(out).not.toContain('moderating');
  });

  it('bare-urls: drops the page\'s own address, keeps other addresses (sources)', () => {
    const url = 'https://news.example/2019/11/viaduct.html';
    const out = text(article(`<p>${url}</p>${body}<p>http://archive.example/sources/report.pdf</p>`), url);
    expect(out).not.toContain(url);
    expect(out).toContain('http://archive.example/sources/report.pdf');
  });

  it('caption-after-image: joins a line that repeats the image\'s alt text to the image as its caption', () => {
    const doc = extractHtml(article(`${body}<p><img src="https://img.example/l.jpg" alt="Amsterdam Light Festival: Light a Wish by OGE Group" width="800"></p><p>Light a Wish by OGE Group</p>`));
    expect(bodyText(doc, { figures: false })).not.toContain('Light a Wish');
    expect(figures(doc)[0]?.caption).toBeDefined();
    // The alt text already says all the caption says: read once (figure-words-once), shown twice.
    expect(figures(doc)[0]).toMatchObject({ captionRepeatsAlt: true });
    const html = article(`${body}<p><img src="https://img.example/l.jpg" alt="Amsterdam Light Festival: Light a Wish by OGE Group" width="800"></p><p>Light a Wish by OGE Group</p>`);
    const kept = extract(loadBytes(Buffer.from(html), { name: 't', url: 'https://news.example/a.html' }), { skipSteps: ['figure-words-once'] });
    expect(figures(kept)[0]).toMatchObject({ captionRepeatsAlt: false });
  });
});

describe('JSON-LD and metadata', () => {
  it('crossCheckArticleBody drops edge lines the publisher\'s articleBody does not have, only when it holds the story', () => {
    const blocks = () => [PROSE, MORE, `${MORE} ${PROSE}`, 'Sign in to read our daily briefing every morning'].map((t) => ({ kind: 'paragraph' as const, content: [{ type: 'text' as const, value: t }] }));
    const full = blocks();
    expect(crossCheckArticleBody(full, `${PROSE}\n${MORE}\n${MORE} ${PROSE}\n${PROSE}`)).toBe(1);
    expect(full).toHaveLength(3);
    const summaryOnly = blocks();
    expect(crossCheckArticleBody(summaryOnly, PROSE)).toBe(0);
  });

  it('reads all authors, section, lead image caption and credit from JSON-LD and gives the figure its credit', () => {
    const ld = { '@context': 'https://schema.org', '@type': 'NewsArticle', headline: 'Viaduct stays open', author: [{ '@type': 'Person', name: 'Jane Roe' }, { '@type': 'Person', name: 'Sam Poe' }], articleSection: 'Local', image: { '@type': 'ImageObject', url: 'https://img.example/v.jpg?w=1200', caption: 'The viaduct at dusk', creditText: 'Tom Ashworth' } };
    const doc = extractHtml(page(`<article><h1>Viaduct stays open</h1><figure><img src="https://img.example/v.jpg?w=720" alt="Five stone arches over a river"></figure>${body}</article>`, `<script type="application/ld+json">${JSON.stringify(ld)}</script>`));
    expect(doc.meta).toMatchObject({ authors: ['Jane Roe', 'Sam Poe'], section: 'Local', leadImage: { src: 'https://img.example/v.jpg?w=1200', caption: 'The viaduct at dusk', credit: 'Tom Ashworth' } });
    expect(figures(doc)[0]).toMatchObject({ credit: 'Tom Ashworth', image: { alt: 'Five stone arches over a river' } });
  });

  it('a page whose only prose is its introduction gets it as the body, not as a sub-headline over the page\'s menus', () => {
    const menu = `<div class="langs"><ul>${['Deutsch', 'English', 'Español', 'Français', 'Polski', 'Русский', 'Türkçe', 'اردو'].map((name, i) => `<li><a href="/l/${i}">${name}</a></li>`).join('')}</ul></div>`;
    const doc = extractHtml(page(`<h1>Viaduct stays open</h1><p class="standfirst">${PROSE}</p>${menu}`));
    expect(doc.meta.dek).toBeUndefined();
    expect(bodyText(doc, { figures: false })).toBe(PROSE);
    // Without an introduction the same menu is still no article.
    expect(() => extractHtml(page(`<h1>Viaduct stays open</h1>${menu}`))).toThrow(/no article/);
  });

  it('decodes character references in JSON-LD strings (a WordPress SEO plugin writes the title escaped for HTML)', () => {
    const ld = { '@context': 'https://schema.org', '@type': 'Article', headline: 'Sheila Atim: &#8222;The Woman King&#8220; &amp; more', description: 'A&nbsp;talk' };
    const doc = extractHtml(page(`<div class="post">${body}</div>`, `<script type="application/ld+json">${JSON.stringify(ld)}</script>`));
    expect(doc.meta.title).toBe('Sheila Atim: „The Woman King“ & more');
  });

  it('reads a Wayback capture time and original address from the page URL', () => {
    expect(archiveCapture('https://web.archive.org/web/20191119123456/https://news.example/a.html')).toEqual({ url: 'https://web.archive.org/web/20191119123456/https://news.example/a.html', originalUrl: 'https://news.example/a.html', capturedAt: '2019-11-19T12:34:56Z' });
    expect(archiveCapture('https://news.example/a.html')).toBeUndefined();
    const doc = extractHtml(article(body), 'https://web.archive.org/web/20191119123456id_/https://news.example/a.html');
    expect(doc.meta.archive?.capturedAt).toBe('2019-11-19T12:34:56Z');
  });

  it('parses a page without running its scripts (a guard for the steps above)', () => {
    expect(parseHtml('<p>x</p><script>document.body.innerHTML = ""</script>').querySelector('p')?.textContent).toBe('x');
  });
});
