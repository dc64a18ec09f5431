import { type CheerioAPI, load } from 'cheerio';
import type { Loader, LoaderInput, SourceDocument } from '../model.ts';
import { type DomNode, htmlToBlocks } from './prose-html.ts';
import { buildProseDocument } from './prose-sections.ts';
import { assertHasBytes, decodeText, normaliseInline } from './prose-text.ts';

/** Where a help-centre page keeps its article, most specific first. */
const CONTENT_SELECTORS = ['main', '[role=main]'] as const;

/** An HTML page (a saved help-centre article): its main content, sectioned by h1–h6. */
export const htmlLoader: Loader = {
  id: 'html',
  extensions: ['.html', '.htm'],
  async load(input: LoaderInput): Promise<SourceDocument[]> {
    assertHasBytes(input.bytes);
    const $ = load(decodeHtml(input.bytes));
    const { root, isBody } = contentRoot($);
    const blocks = htmlToBlocks(root, { dropAllHeaders: isBody });
    const hasH1 = blocks.some((block) => block.type === 'heading' && block.level === 1);
    const pageTitle = normaliseInline($('head > title').first().text());
    const title = hasH1 || !pageTitle ? undefined : pageTitle;
    return [buildProseDocument(input, blocks, title === undefined ? {} : { title })];
  },
};

function contentRoot($: CheerioAPI): { root: DomNode; isBody: boolean } {
  for (const selector of CONTENT_SELECTORS) {
    const element = $(selector).first().get(0);
    if (element) return { root: element, isBody: false };
  }
  // Several <article>s are a listing (cards), not one article: then the body is the content.
  const articles = $('article');
  const article = articles.length === 1 ? articles.get(0) : undefined;
  if (article) return { root: article, isBody: false };
  return { root: $('body').get(0) ?? $.root().get(0)!, isBody: true };
}

/** HTML bytes as text: a BOM or valid UTF-8 wins, then the charset the page declares. */
function decodeHtml(bytes: Uint8Array): string {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 4096));
  const declared = /<meta[^>]+charset\s*=\s*["']?([\w-]+)/iu.exec(head)?.[1];
  return decodeText(bytes, declared);
}
