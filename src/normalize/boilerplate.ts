import type { ElementContent } from 'hast';
import type { Block, ClearDoc, FigureBlock, Inline, ListBlock } from '../model/document.js';
import { plainText, sameWords } from '../model/text.js';
import type { NormalizeStep } from './index.js';
import { POINTER_PHRASES, RELATED_PHRASES } from './boilerplate-words.js';

// Steps that remove what Readability keeps but a reader never wants read aloud: datelines,
// calls to subscribe or follow, "More:" link lists, contact lines and author bios at the end.
// Each looks at one block at a time with rules that hold on news pages in general; none knows a site.

/** Text of a block (paragraph, heading, or a list's items joined), for the rules below. */
export function blockText(block: Block): string {
  switch (block.kind) {
    case 'paragraph': case 'heading': return plainText(block.content);
    case 'list': return block.items.map((item) => item.map(blockText).join(' ')).join(' ');
    case 'quote': return block.blocks.map(blockText).join(' ');
    case 'code': return block.text;
    case 'table': return block.rows.map((row) => row.cells.map((cell) => plainText(cell.content)).join(' ')).join(' ');
    default: return '';
  }
}

/** Characters of an inline run that sit inside links. */
function linkedLength(nodes: readonly ElementContent[], inLink = false): number {
  let total = 0;
  for (const node of nodes) {
    if (node.type === 'text') total += inLink ? node.value.replace(/\s+/g, ' ').trim().length : 0;
    else if (node.type === 'element') total += linkedLength(node.children, inLink || node.tagName === 'a');
  }
  return total;
}

/** Share of a block's text that is link text (0–1). */
export function linkShare(block: Block): number {
  const text = blockText(block).length;
  if (text === 0) return 0;
  let linked = 0;
  const visit = (b: Block) => {
    if (b.kind === 'paragraph' || b.kind === 'heading') linked += linkedLength(b.content);
    else if (b.kind === 'list') for (const item of b.items) item.forEach(visit);
  };
  visit(block);
  return Math.min(1, linked / text);
}

/** Indexes of the blocks that carry text (figures and rules are skipped when counting "first" and "last"). */
function textIndexes(blocks: readonly Block[]): number[] {
  return blocks.map((block, index) => (block.kind === 'figure' || block.kind === 'rule' ? -1 : index)).filter((index) => index >= 0);
}

/** Removes the blocks at the given indexes. */
function removeAt(doc: ClearDoc, indexes: Iterable<number>): number {
  const drop = new Set(indexes);
  if (drop.size === 0) return 0;
  doc.blocks = doc.blocks.filter((_, index) => !drop.has(index));
  return drop.size;
}

// ——— datelines ———

const MONTHS = 'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|' +
  'enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|novembro|dezembro|' +
  'janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|januar|februar|märz|juni|juli|oktober|dezember|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre';
const WEEKDAYS = 'mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:rs|rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?|' +
  'lunes|martes|miércoles|jueves|viernes|sábado|domingo|segunda(?:-feira)?|terça(?:-feira)?|quarta(?:-feira)?|quinta(?:-feira)?|sexta(?:-feira)?|feira|' +
  'lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag';
const DATE_LABELS = 'published|updated|posted|first published|last updated|last modified|modified|original|originally published|created|date|time|edited|' +
  'publicado|actualizado|atualizado|publié|mis à jour|veröffentlicht|aktualisiert|pubblicato|aggiornato|today|yesterday|ago|minutes?|hours?|mins?|hrs?|days?|' +
  'veröffentlichung|publiziert|erstellt|geschrieben|zuletzt|stand|news|release|opublikowano|publikacja|aktualizacja|data';
const DATE_WORD = new RegExp(`^(?:${MONTHS}|${WEEKDAYS}|${DATE_LABELS}|am|pm|a\\.?m|p\\.?m|noon|midnight|et|pt|ct|mt|est|edt|cst|cdt|mst|mdt|pst|pdt|hst|akst|akdt|gmt|bst|ist|cet|cest|eet|eest|wet|west|utc|aest|aedt|jst|kst|sgt|msk|by|von|and|at|on|of|the|de|do|da|às|um|le|à|el|del|am|um|uhr|h|st|nd|rd|th)$`, 'iu');
const HAS_DATE = new RegExp(`\\b(?:19|20)\\d{2}\\b|\\b\\d{1,2}[:.h]\\d{2}\\b|\\b\\d{1,2}\\s*(?:am|pm|a\\.m\\.|p\\.m\\.)|\\b\\d{1,2}[/.-]\\d{1,2}[/.-]\\d{2,4}\\b|\\b(?:${MONTHS})\\.?\\s+\\d{1,2}\\b|\\b\\d{1,2}\\.?\\s+(?:de\\s+)?(?:${MONTHS})\\b`, 'iu');
const HAS_DAY = new RegExp(`\\b(?:19|20)\\d{2}\\b|\\b\\d{1,2}[/.-]\\d{1,2}[/.-]\\d{2,4}\\b|\\b(?:${MONTHS})\\.?\\s+\\d{1,2}\\b|\\b\\d{1,2}\\.?\\s+(?:de\\s+)?(?:${MONTHS})\\b|\\b(?:${WEEKDAYS})\\b|\\b(?:today|yesterday)\\b`, 'iu');
const DATE_LABEL = /\b(?:published|updated|posted|modified|original|publicado|actualizado|atualizado|publié|mis à jour|veröffentlicht|aktualisiert|pubblicato|aggiornato)\b/iu;
const STARTS_LIKE_DATELINE = new RegExp(`^[\\s|•·–—-]*(?:\\d|by\\b|von\\b|(?:${MONTHS}|${WEEKDAYS}|${DATE_LABELS})\\b)`, 'iu');

/**
 * True for a line that only dates the article ("Updated Nov 19, 6:55 AM; Posted Nov 19, 6:51 AM",
 * "By Jane Doe - 11/18/19 11:04 PM EST", "segunda-feira, 22 de janeiro de 2018 às 0:13"): short,
 * opening with a date, a date label or "By", holding a date or time, and at most three other words
 * (a name) once date words, numbers and labels are taken out.
 */
export function isDateline(text: string): boolean {
  const line = text.trim();
  if (line.length === 0 || line.length > 160 || !HAS_DATE.test(line) || !STARTS_LIKE_DATELINE.test(line)) return false;
  // A time alone ("10 p.m.", "4:14 p.m.") heads an entry of a live story: keep it unless a label says what it dates.
  if (!HAS_DAY.test(line) && !DATE_LABEL.test(line)) return false;
  const words = line.split(/[^\p{L}\p{N}'’.-]+/u).map((w) => w.replace(/^[.'’-]+|[.'’-]+$/g, '')).filter(Boolean);
  const rest = words.filter((w) => !/^\d/.test(w) && !DATE_WORD.test(w) && !DATE_WORD.test(w.replace(/\.$/, '')));
  return rest.length <= 3;
}

/** "Image 1 of 12", "Photo 3 / 10", "Slide 2 of": a gallery's counter, not text. */
const GALLERY_COUNTER = /^(?:image|photo|picture|slide|foto|bild)\s*\d+\s*(?:of|\/|de|von|sur)\s*\/?\s*\d*$/i;

/** Drops paragraphs (and list items) that only give the date, time and author of the article, and gallery counters. */
export const dropDatelines: NormalizeStep = {
  name: 'datelines',
  run(doc) {
    const drop: number[] = [];
    doc.blocks.forEach((block, index) => {
      if (block.kind === 'paragraph' && (isDateline(blockText(block)) || GALLERY_COUNTER.test(blockText(block)))) drop.push(index);
      if (block.kind === 'list') {
        block.items = block.items.filter((item) => !(item.length === 1 && item[0]!.kind === 'paragraph' && (isDateline(blockText(item[0]!)) || GALLERY_COUNTER.test(blockText(item[0]!)))));
        if (block.items.length === 0) drop.push(index);
      }
    });
    removeAt(doc, drop);
  },
};

// ——— calls to action ———

const SOCIAL = '(?:twitter|facebook|instagram|linkedin|youtube|tiktok|pinterest|snapchat|whatsapp|telegram|flipboard|google news|apple news|reddit|threads|mastodon)';
/**
 * A sentence that opens by asking the reader to subscribe, sign up, follow, join, download or
 * become a member ("Subscribe to …", "Sign up for the free daily newsletter", "Follow X on
 * Twitter"). Prose that mentions subscriptions ("investors subscribing for shares") does not
 * open a sentence with an imperative, so it is kept.
 */
const CALL_TO_ACTION = new RegExp(`(?:^|[.!?…]["”’]?\\s+)(?:${[
  'subscribe\\b',
  'sign(?:ing)?[ -]?up\\b',
  'register (?:now|today|for free|here)\\b',
  `follow (?:us|@\\w+|[^.!?]{1,60}? on ${SOCIAL})`,
  `(?:like|find|join) us on ${SOCIAL}`,
  'join (?:us|now|today|our|the conversation)\\b',
  '(?:download|get) (?:the|our) (?:free )?app\\b',
  'become a (?:member|subscriber|supporter|patron)\\b',
  'get (?:the latest|unlimited|full|instant|exclusive|access|our)\\b',
  'get [^.!?]{1,60}? delivered\\b',
  'start your (?:day|morning) with\\b',
  '(?:never|don\'t) miss (?:a|an|the|our)\\b',
  'support (?:our|independent|quality) journalism\\b',
  'have a (?:news )?tip\\?',
  'if you (?:enjoyed|liked|value|appreciate) (?:this|our|reading)\\b',
  '(?:click|tap) here to (?:subscribe|sign up|register|join|get)\\b',
  '(?:to (?:view|read|continue)[^.!?]{0,40}?,? )?please (?:subscribe|log ?in|sign in)\\b',
  '[^.!?]{0,80}?\\bdownload (?:the|our) [^.!?]{1,40}? apps?\\b', 'get [^.!?]{1,60}? by e-?mail\\b', 'help us (?:continue|keep)\\b',
  // German, French, Spanish, Polish, Italian
  '(?:jetzt )?(?:newsletter )?(?:abonnieren|bestellen und)\\b', '(?:melde dich|melden sie sich) (?:jetzt )?(?:zum newsletter )?an\\b',
  `(?:folge|folgt|folgen sie) (?:uns|[^.!?]{1,40}? auf ${SOCIAL})`, '(?:unterstütze|unterstützen sie) (?:uns|unsere arbeit|unabhängigen)\\b',
  '[^.!?]{0,40}\\bnichts mehr (?:verpassen|versäumen)\\b', 'abonnez-vous\\b', 'inscrivez-vous\\b', 'suivez-nous\\b',
  'suscríbete\\b', 'suscríbase\\b', 'síguenos\\b', 'únete\\b', '[¡]?mira lo que tiene nuestro canal\\b', '¿ya sabías que [^.!?]{1,60}? canal de\\b',
  'zapraszamy (?:też |także |również )?do (?:subskrypcji|obserwowania|śledzenia)\\b', 'zapisz się\\b', 'iscriviti\\b', 'seguici\\b',
].join('|')})`, 'iu');

/**
 * A step that drops the body's top-level blocks of the given kinds (paragraphs unless told) whose
 * text, at most `maxLength` characters, matches `pattern`: a whole short line that is boilerplate.
 */
function dropShortBlocks(name: string, pattern: RegExp, maxLength: number, kinds: readonly Block['kind'][] = ['paragraph']): NormalizeStep {
  return {
    name,
    run(doc) {
      const drop: number[] = [];
      doc.blocks.forEach((block, index) => {
        if (!kinds.includes(block.kind)) return;
        const text = blockText(block);
        if (text.length <= maxLength && pattern.test(text)) drop.push(index);
      });
      removeAt(doc, drop);
    },
  };
}

/**
 * Drops paragraphs under 400 characters in which a sentence opens by asking the reader to
 * subscribe, sign up for a newsletter, follow an account, download an app or become a member.
 */
export const dropCallsToAction = dropShortBlocks('calls-to-action', CALL_TO_ACTION, 400, ['paragraph', 'heading']);

// ——— related link lists ———

/** A label that introduces links to other stories ("More:", "Related", "Read more", "More Great WIRED Stories"). */
const RELATED_LABEL = new RegExp(String.raw`^(?:more(?: great| from| on| in| about)?\b.{0,40}?(?:stories|news|articles|coverage|reading|videos?)?|related\b.*|see (?:also|more)\b.*|read (?:more|also|next)\b.*|also (?:read|see|on)\b.*|recommended\b.*|further reading|you (?:may|might) (?:also )?like\b.*|most (?:popular|read|viewed|shared)\b.*|trending\b.*|top stories|latest (?:news|stories)|don't miss|in (?:other|case you missed)\b.*)\s*[:：]?$|^(?:${RELATED_PHRASES}).{0,40}$`, 'iu');
/** "SEE MORE: …", "READ MORE: …", "RELATED: …": a one-line pointer to another story. */
const POINTER = new RegExp(String.raw`^>>.{3,140}<<$|^hier geht(?:'s| es) (?:zur?|zum)\b.{0,80}$|^(?:see|read|watch|listen|click)(?: (?:more|also|next|now))?\s*[:：|>»-]|^(?:${POINTER_PHRASES})\s*(?:stories|articles|news|content)?\s*[:：|>»]`, 'iu');

/**
 * Drops lists of links to other stories with the short label that introduces them: a run of
 * lists (sites often write one list per item) whose every item holds a link and is no longer
 * than a headline, either introduced by a "related" label ("More:", "More Great WIRED Stories",
 * "Related") or, when every item is wholly a link, standing after the last paragraph of prose.
 * Also drops one-line pointers to other stories ("SEE MORE: …").
 */
export const dropRelatedLinks: NormalizeStep = {
  name: 'related-links',
  run(doc) {
    const drop = new Set<number>();
    const texts = textIndexes(doc.blocks);
    const lastProse = [...texts].reverse().find((i) => doc.blocks[i]!.kind === 'paragraph' && blockText(doc.blocks[i]!).length > 150 && linkShare(doc.blocks[i]!) < 0.3) ?? -1;
    for (let index = 0; index < doc.blocks.length; index++) {
      const block = doc.blocks[index]!;
      if ((block.kind === 'paragraph' || block.kind === 'heading') && blockText(block).length <= 200 && POINTER.test(blockText(block))) {
        drop.add(index);
        continue;
      }
      if (index > lastProse && isLinkLine(block)) {
        // Headlines of other stories after the story's last paragraph: a run of two or more lines
        // that are wholly links, reaching the end of the article.
        let end = index;
        while (end + 1 < doc.blocks.length && (isLinkLine(doc.blocks[end + 1]!) || doc.blocks[end + 1]!.kind === 'figure')) end++;
        const lines = doc.blocks.slice(index, end + 1).filter(isLinkLine).length;
        if (end === doc.blocks.length - 1 && lines >= 2) for (let i = index; i <= end; i++) if (isLinkLine(doc.blocks[i]!)) drop.add(i);
        index = end;
        continue;
      }
      if ((block.kind === 'heading' || block.kind === 'paragraph') && isRelatedLabel(block) && doc.blocks[index + 1]?.kind !== 'figure') {
        // A "related" label with no list after it: the label, and the story headlines (link lines)
        // after it. (A label before pictures, "See more photos:", introduces a gallery: it stays.)
        drop.add(index);
        while (index + 1 < doc.blocks.length && (isLinkLine(doc.blocks[index + 1]!) || doc.blocks[index + 1]!.kind === 'figure')) drop.add(++index);
        continue;
      }
      if (block.kind !== 'list') continue;
      let end = index;
      while (doc.blocks[end + 1]?.kind === 'list') end++;
      const items = doc.blocks.slice(index, end + 1).flatMap((b) => (b as ListBlock).items);
      const previous = doc.blocks[index - 1];
      const label = previous && (previous.kind === 'heading' || previous.kind === 'paragraph') && blockText(previous).length <= 60 && !/[.!?]$/.test(blockText(previous)) ? index - 1 : undefined;
      const labelled = label !== undefined && RELATED_LABEL.test(blockText(doc.blocks[label]!));
      if ((labelled && items.length >= 1 && items.every((item) => isHeadlineItem(item, 0.3))) ||
          (index > lastProse && items.length >= 2 && items.every((item) => isHeadlineItem(item, 0.9)))) {
        for (let i = index; i <= end; i++) drop.add(i);
        if (label !== undefined) drop.add(label);
      }
      index = end;
    }
    removeAt(doc, drop);
  },
};

/** A short label (≤ 60 characters, no sentence end) naming links to other stories. */
function isRelatedLabel(block: Block): boolean {
  const text = blockText(block);
  return text.length <= 60 && !/[.!?]$/.test(text) && RELATED_LABEL.test(text);
}

/** A paragraph or heading of headline length (≤ 120 characters) that is wholly a link. */
function isLinkLine(block: Block): boolean {
  return (block.kind === 'paragraph' || block.kind === 'heading') && blockText(block).length <= 120 && linkShare(block) >= 0.9;
}

/** A list item of headline length (≤ 200 characters) made of paragraphs with at least `share` of their text linked. */
function isHeadlineItem(item: readonly Block[], share: number): boolean {
  const text = item.map(blockText).join(' ');
  return text.length > 0 && text.length <= 200 && item.every((b) => (b.kind === 'paragraph' || b.kind === 'heading') && linkShare(b) >= share && linkShare(b) > 0);
}

// ——— end matter ———

const END_MATTER = new RegExp([
  '\\bcontributed (?:to )?(?:this |the )?(?:report|story|article)\\b',
  '^(?:write to|contact|reach|email|e-mail)\\b[^.]{0,80}\\b(?:at|@)\\b',
  '\\b(?:can|may) be reached at\\b',
  '\\bcomments? (?:are|is|will be)? ?(?:moderated|closed|reviewed|approved)\\b',
  '\\bmoderating (?:all )?comments\\b',
  '^(?:tell us what you think|leave a (?:comment|reply)|join the (?:conversation|discussion)|what do you think)\\b',
  '\\bcomentários\\b.*\\b(?:aprovados|moderador)\\b',
  '\\bviews and opinions expressed\\b',
  '^we want to hear what you think\\b',
  '^(?:source|sources|fonte|fuente|quelle)\\s*:\\s*[^.]{1,60}$',
].join('|'), 'iu');
/** "Jane Doe is a staff writer at …", "X (x@y.com) is the editor of …": the author's bio. */
const AUTHOR_BIO = /^[\p{Lu}][\p{L}'’.-]+(?: [\p{Lu}][\p{L}'’.-]+){0,3}(?: \([^)]*\))? (?:is|was|has been) (?:a|an|the)\b[^.]{0,80}\b(?:writer|reporter|editor|correspondent|columnist|journalist|author|contributor|producer|freelancer|blogger|publisher|founder|native)\b/u;

/**
 * Drops what follows the story at its end: "Write to … at …", "… contributed to this report",
 * the author's bio, comment-moderation notes, "Source: News agencies". Only the last four text
 * blocks are looked at, and only short ones (under 600 characters).
 */
export const dropEndMatter: NormalizeStep = {
  name: 'end-matter',
  run(doc) {
    const texts = textIndexes(doc.blocks);
    const drop: number[] = [];
    for (const index of texts.slice(-4)) {
      const block = doc.blocks[index]!;
      if (block.kind !== 'paragraph') continue;
      const text = blockText(block);
      if (text.length > 600) continue;
      if (END_MATTER.test(text) || AUTHOR_BIO.test(text)) drop.push(index);
    }
    removeAt(doc, drop);
  },
};

// ——— bare URLs and repeated titles ———

/**
 * Drops a paragraph that is only the page's own address (a share widget's "copy link" text) and
 * repeats of the headline in the first blocks. Other bare URLs are kept: they are often sources.
 */
export const dropBareUrls: NormalizeStep = {
  name: 'bare-urls',
  run(doc) {
    const own = new Set([doc.source.url, doc.meta.canonicalUrl].filter(Boolean).map((url) => url!.replace(/[#?].*$/, '').replace(/\/$/, '')));
    const drop: number[] = [];
    doc.blocks.forEach((block, index) => {
      if (block.kind !== 'paragraph') return;
      const text = blockText(block);
      if (/^https?:\/\/\S+$/i.test(text) && own.has(text.replace(/[#?].*$/, '').replace(/\/$/, ''))) drop.push(index);
      else if (index < 8 && sameWords(text, doc.meta.title)) drop.push(index);
    });
    removeAt(doc, drop);
  },
};

// ——— captions written after an image ———

/**
 * Joins a short line written right after an image to that image as its caption when its words
 * are the image's alt text ("Light a Wish by OGE Group" under an image whose alt says the same):
 * the caption is shown once, with its image, and not read as body text.
 */
export const captionAfterImage: NormalizeStep = {
  name: 'caption-after-image',
  run(doc) {
    const drop: number[] = [];
    doc.blocks.forEach((block, index) => {
      const next = doc.blocks[index + 1];
      if (block.kind !== 'figure' || block.caption || !next || next.kind !== 'paragraph') return;
      const text = blockText(next);
      if (text.length > 200 || !block.image.alt || !wordsWithin(text, block.image.alt)) return;
      attachCaption(block, next.content, text);
      drop.push(index + 1);
    });
    removeAt(doc, drop);
  },
};

function attachCaption(figure: FigureBlock, content: Inline, text: string): void {
  figure.caption = content;
  figure.captionRepeatsAlt = sameWords(figure.image.alt, text);
  figure.description ??= figure.image.alt || text;
}

/** True when most (≥ 80 %) of the words of `part` occur in `whole`. */
function wordsWithin(part: string, whole: string): boolean {
  const words = (s: string) => s.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const have = new Set(words(whole));
  const list = words(part);
  return list.length >= 2 && list.filter((w) => have.has(w)).length >= 0.8 * list.length;
}

// ——— site furniture ———

/**
 * Lines of a site's own furniture, whole: share, print and rating prompts, comment-form and login
 * notices, "back to the list", "added to cart", advertisement labels, reading times, imprint link
 * rows, lone author labels ("Von:", "Autoren:"), in the languages of boilerplate-words.
 */
const FURNITURE = new RegExp([
  String.raw`^(?:share|teilen|partager|compartir|condividi|udostępnij|delen)(?: (?:this|on|via|den|die|diesen|the|article|artikel|beitrag|seite|auf|sur|en|it))*\s*[:!]?$`,
  String.raw`^(?:möchten sie|willst du|jetzt)? ?(?:den|diesen|die|this)? ?(?:artikel|beitrag|seite|article|page|rezept|recipe) (?:teilen|drucken|bewerten|merken|speichern|empfehlen|share|print|rate|save)\b`,
  String.raw`^(?:print|drucken|imprimer|imprimir|drukuj|rezept drucken|print recipe|seite drucken|print this page)\b.{0,40}$`,
  String.raw`^(?:war|ist) (?:der|dieser|die|diese) (?:artikel|beitrag|seite|information) (?:hilfreich|nützlich|interessant)\b`,
  String.raw`^(?:was|is) this (?:article|page|post|information) (?:helpful|useful)\b`,
  String.raw`^(?:hier|jetzt) können sie (?:den|diesen) (?:artikel|beitrag) bewerten\b`,
  String.raw`\b(?:wird (?:benötigt und )?nicht veröffentlicht|will not be published|required fields are marked|erforderliche felder sind|pflichtfelder sind|reload captcha|time limit is exhausted)\b`,
  String.raw`^(?:sie sind|du bist) (?:aktuell |derzeit |noch )?nicht (?:eingeloggt|angemeldet)\b|^you (?:are not|must be) logged in\b|^(?:sie müssen|du musst) (?:eingeloggt|angemeldet) sein\b`,
  String.raw`^(?:schreibe(?:n sie)? einen kommentar|kommentar (?:schreiben|verfassen|abgeben)|leave a (?:reply|comment)|laisser un commentaire|deja (?:un|tu) comentario|dodaj komentarz|antwort hinterlassen|kommentare?)\s*[:!]?$`,
  String.raw`^(?:zurück|back|retour|volver|powrót|torna) (?:zur|zum|zu|to|à la|al|a la|do|alla)\b.{0,40}$`,
  String.raw`\b(?:wurde (?:erfolgreich )?(?:zum warenkorb |in den warenkorb )?hinzugefügt|added to (?:your )?(?:cart|basket))\b`,
  String.raw`^(?:zum (?:shop|warenkorb|produkt)|in den warenkorb|add to (?:cart|basket)|jetzt kaufen|buy now)\s*!?$`,
  String.raw`^(?:quellen|mehr|weniger|details) (?:anzeigen|ausblenden|einblenden)$|^(?:show|hide) (?:more|less|sources)$`,
  // "load more" buttons of a list that script fills in
  String.raw`^(?:load|show|see) more(?: (?:stories|articles|posts|news|results|comments))?\s*(?:\.{3}|…)?$|^(?:lade|zeige|weitere) (?:weitere |mehr )?(?:inhalte|artikel|beiträge|ergebnisse|kommentare|news)(?: laden| anzeigen)?\s*(?:\.{3}|…)?$|^mehr (?:inhalte|artikel|beiträge|laden)\s*(?:\.{3}|…)?$|^(?:voir|afficher|charger) plus(?: d'articles)?\s*(?:\.{3}|…)?$|^(?:cargar|ver|mostrar) más\s*(?:\.{3}|…)?$|^(?:załaduj|pokaż) więcej\s*(?:\.{3}|…)?$`,
  String.raw`^(?:permalink|permalien|kurzlink|short ?link)\b.{0,80}$`,
  String.raw`^[-–—\s]*(?:anzeige|werbung|advertisement|advertising|sponsored|publicidad|publicité|reklama|pubblicità)(?:[-–—:\s]+.{0,80})?$`,
  String.raw`^(?:lesezeit:?\s*)?\d+\s*(?:min(?:ute)?n?\.?|minutes?)\s*(?:read|lesezeit|lesen|lesedauer|de lecture|de lectura|czytania)?$`,
  String.raw`^(?:impressum|datenschutz(?:erklärung)?|kontakt|agb|imprint|privacy(?: policy)?|contact(?: us)?|mentions légales|aviso legal|kontakt(?:formular)?)(?:\s*[|·•]\s*.{1,60})*$`,
  String.raw`^(?:von|by|autor(?:in|en|innen)?|authors?|par|por|autores|written by|geschrieben von|text)\s*:?$`,
  String.raw`^(?:release date|news date|datum|date|veröffentlicht|published)\s*:?$`,
  String.raw`^(?:inhaltsverzeichnis|table of contents|contents|inhalt|sommaire|índice|spis treści|indice)\s*:?$`,
  String.raw`^(?:weitere informationen|more information|plus d'informations|más información|więcej informacji)\s*:?$`,
  String.raw`\b(?:bloggern gefällt das|bloggers like this)\b`,
  String.raw`\bzum vergrößern (?:auf das bild )?klicken\b|^click (?:to|here to) enlarge\b`,
  // paywalls
  String.raw`^pour lire la suite\b|^(?:to (?:view|read|continue reading) the (?:full|whole|rest of the) (?:story|article)\b)|\balready (?:a subscriber|subscribed)\b[^.!?]{0,40}\blog ?in\b|^first-time subscribers\b|\bréservé aux abonnés\b|^(?:dieser|der) (?:artikel|beitrag|inhalt) ist (?:nur )?(?:für|exklusiv für) (?:abonnenten|abonnentinnen)\b|^weiterlesen mit\b`,
  // consent boxes in front of embedded posts and videos
  String.raw`\bohne (?:dein|ihr|deine|ihre) (?:einverständnis|einwilligung|zustimmung) keine verbindung\b|\b(?:externe[rn]? inhalte?|inhalte von drittanbietern) (?:laden|anzeigen|aktivieren)\b`,
  // breadcrumbs: three or more steps joined by ">" or "»"
  String.raw`^(?:[>»›]\s*)?[^>»›\n]{1,60}(?:\s[>»›]\s[^>»›\n]{1,110}){2,}$`,
].join('|'), 'iu');

/** Author-box labels ("Über den Autor", "About the author"): the label and the short bio after it go, at the end of the story. */
const ABOUT_AUTHOR = /^(?:über (?:den|die) (?:autor|autorin|verfasser(?:in)?)|about the (?:author|writer)|à propos de l'auteur|sobre (?:el|la|o|a) (?:autor|autora)|o autorze|zum autor|zur autorin|die autorin|der autor)\s*:?$/iu;

/**
 * Drops lines of the site's furniture (see FURNITURE), lines under 200 characters only, and an
 * author-box label among the last blocks with the short bio that follows it.
 */
export const dropSiteFurniture: NormalizeStep = {
  name: 'site-furniture',
  run(doc) {
    const drop = new Set<number>();
    const texts = textIndexes(doc.blocks);
    const lastFew = new Set(texts.slice(-4));
    doc.blocks.forEach((block, index) => {
      if (block.kind !== 'paragraph' && block.kind !== 'heading') return;
      const text = blockText(block);
      if (text.length > 200) return;
      if (FURNITURE.test(text)) drop.add(index);
      else if (ABOUT_AUTHOR.test(text) && lastFew.has(index)) {
        drop.add(index);
        const next = texts.find((i) => i > index);
        if (next !== undefined && blockText(doc.blocks[next]!).length < 700 && doc.blocks[next]!.kind === 'paragraph') drop.add(next);
      }
    });
    removeAt(doc, drop);
  },
};

// ——— consent boxes in front of embeds ———

/**
 * The box a site puts in place of an embedded post, video or map until the reader agrees to load it
 * ("Wir respektieren deine Privatsphäre und stellen deshalb ohne dein Einverständnis keine
 * Verbindung zu Twitter her…", "By loading the video, you agree to YouTube's privacy policy").
 */
const EMBED_CONSENT = new RegExp([
  String.raw`\bohne (?:dein|ihr|deine|ihre) (?:einverständnis|einwilligung|zustimmung) keine verbindung\b`,
  String.raw`\b(?:externe[rn]? inhalte?|inhalte von drittanbietern) (?:laden|anzeigen|aktivieren|zulassen)\b`,
  String.raw`\bmit dem (?:laden|abspielen|aktivieren) (?:des|der|dieses) (?:videos?|tweets?|inhalts?|beitrags?|posts?|karte)\b[^.!?]{0,60}\b(?:akzeptier|stimm|willig)`,
  String.raw`\bby (?:loading|clicking|playing|accessing) (?:the|this) (?:video|content|tweet|post|map|embed)\b[^.!?]{0,60}\byou (?:agree|accept|consent)\b`,
  String.raw`\bto (?:view|see|load|display) this (?:content|video|tweet|post|map|embed)\b[^.!?]{0,80}\b(?:accept|consent|enable)\b[^.!?]{0,30}\bcookies?\b`,
  String.raw`\ben (?:cliquant|chargeant|lisant) (?:sur )?(?:cette|la|le|ce) (?:vidéo|contenu|tweet|carte)\b[^.!?]{0,60}\bvous acceptez\b`,
].join('|'), 'iu');

/** Drops the consent boxes of embeds (see EMBED_CONSENT): paragraphs under 400 characters. */
export const dropEmbedConsent = dropShortBlocks('embed-consent', EMBED_CONSENT, 400);

// ——— post metadata ———

/**
 * A blog post's filing line ("This entry was posted in …", "Erstellt am … und abgelegt unter …",
 * "Der Beitrag wurde am … veröffentlicht", "Category: …", "Tags: …"): under 400 characters.
 */
const POST_METADATA = new RegExp([
  String.raw`^this (?:entry|post) was posted\b`,
  String.raw`^(?:posted|filed) (?:in|under)\b`,
  String.raw`\b(?:bookmark the permalink|lesezeichen (?:auf den|für den) permalink)\b`,
  String.raw`^(?:erstellt|veröffentlicht|geschrieben|publiziert|verfasst|gepostet|eingestellt) (?:am|von)\b.{0,200}\b(?:abgelegt|kategorie|unter|von)\b`,
  String.raw`^(?:der|dieser) (?:beitrag|artikel|eintrag) wurde am\b`,
  String.raw`^(?:kategorie|kategorien|category|categories|catégorie|categoría|kategoria|tags|schlagwörter|schlagworte|stichwörter|stichworte|themen|topics|étiquettes|etiquetas|tagi)\s*:`,
  String.raw`\bcategory\s*:\s*\S`,
].join('|'), 'iu');

/** Drops a post's filing lines (see POST_METADATA). */
export const dropPostMetadata = dropShortBlocks('post-metadata', POST_METADATA, 400);

// ——— picture credits written as text ———

/** A caption line ending in its picture credit ("… © AFP / Name", "… | © Getty Images"), or a credit line ("Foto: …", "Photograph by …", "Beitragsbild: …"). */
const CREDIT_LINE = new RegExp([
  String.raw`©\s*[^.!?©]{1,70}$`,
  String.raw`^(?:photo(?:graph)?s?|fotos?|bild(?:er)?|image|picture|beitragsbild|titelbild|titelfoto|headerbild|bildquelle|bildnachweis|bildrechte|fotonachweis|credits?|źródło zdjęcia|zdjęcie)\s*(?::|by\b|von\b|via\b|de\b)`,
].join('|'), 'iu');

/** Drops short lines (under 300 characters) that end in a picture credit or are one (see CREDIT_LINE). */
export const dropCreditLines = dropShortBlocks('credit-lines', CREDIT_LINE, 300);

// ——— disclaimers ———

/**
 * A site's standing disclaimers, whatever the story: "the views are the author's, not the
 * editors'", "this is a community blog post". (Affiliate-link notes are left: the article
 * benchmark counts them as part of the story.)
 */
const DISCLAIMER = new RegExp([
  String.raw`\bgibt (?:die|allein die|ausschließlich die) meinung (?:des|der) (?:autors|autorin|verfasser(?:s|in)?)\b|\bnicht (?:notwendigerweise|unbedingt) die (?:der|des) redaktion\b`,
  String.raw`\b(?:the )?(?:views|opinions) expressed (?:here|in this (?:article|post|piece)|are (?:those|solely))\b`,
  String.raw`^bei diesem (?:beitrag|artikel|text) handelt es sich um (?:einen?|ein) (?:blog|gastbeitrag|leserbeitrag|community)`,
].join('|'), 'iu');

/** Drops disclaimer paragraphs (see DISCLAIMER) under 400 characters, wherever they stand. */
export const dropDisclaimers = dropShortBlocks('disclaimers', DISCLAIMER, 400);

// ——— tag and category lines at the edges ———

/** Links in an inline run. */
function countLinks(nodes: readonly ElementContent[]): number {
  let count = 0;
  for (const node of nodes) if (node.type === 'element') count += node.tagName === 'a' ? 1 : countLinks(node.children);
  return count;
}

/**
 * Drops a short line of two or more links that is nearly all link text (a tag, category or section
 * list: "Corona & die Folgen, Debatte, Deutschland, Politik") among the first two or last three
 * text blocks of the body: where sites print them, before and after the story.
 */
export const dropEdgeLinkLines: NormalizeStep = {
  name: 'edge-link-lines',
  run(doc) {
    const texts = textIndexes(doc.blocks);
    const edges = new Set([...texts.slice(0, 2), ...texts.slice(-3)]);
    const drop: number[] = [];
    for (const index of edges) {
      const block = doc.blocks[index]!;
      if (block.kind !== 'paragraph') continue;
      if (blockText(block).length <= 120 && countLinks(block.content) >= 2 && linkShare(block) >= 0.8) drop.push(index);
    }
    removeAt(doc, drop);
  },
};
