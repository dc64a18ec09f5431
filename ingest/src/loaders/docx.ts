import { load } from 'cheerio';
import mammoth from 'mammoth';
import { IngestError } from '../errors.ts';
import type { Loader, LoaderInput, SourceDocument } from '../model.ts';
import { htmlToBlocks } from './prose-html.ts';
import { buildProseDocument } from './prose-sections.ts';
import { assertHasBytes } from './prose-text.ts';

// An OLE compound file: what Word writes for a password-protected .docx (and for an old .doc).
const CFB_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ZIP_MAGIC = [0x50, 0x4b];

/**
 * Russian Word names its built-in styles in English inside the file, but documents made from
 * Russian templates or by other editors carry the Russian names; mammoth's default map (which
 * is still applied) knows only the English ones.
 */
const STYLE_MAP = [
  ...[1, 2, 3, 4, 5, 6].map((level) => `p[style-name='Заголовок ${level}'] => h${level}:fresh`),
  "p[style-name='Title'] => h1:fresh",
  "p[style-name='Заголовок'] => h1:fresh",
  "p[style-name='Название'] => h1:fresh",
];

/** A Word document: mammoth's HTML, sectioned by heading styles (or hand-made headings). */
export const docxLoader: Loader = {
  id: 'docx',
  extensions: ['.docx'],
  async load(input: LoaderInput): Promise<SourceDocument[]> {
    assertHasBytes(input.bytes);
    if (startsWith(input.bytes, CFB_MAGIC)) {
      throw new IngestError(
        'encrypted',
        'password-protected (or an old .doc renamed to .docx): remove the password and save it as .docx',
      );
    }
    if (!startsWith(input.bytes, ZIP_MAGIC)) {
      throw new IngestError('corrupt', 'not a valid DOCX file (it is not a zip archive)');
    }
    let html: string;
    try {
      const result = await mammoth.convertToHtml(
        { buffer: Buffer.from(input.bytes) },
        { styleMap: STYLE_MAP },
      );
      html = result.value;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new IngestError('corrupt', `not a readable DOCX file: ${reason}`, { cause: error });
    }
    const $ = load(html);
    const root = $('body').get(0) ?? $.root().get(0)!;
    return [
      buildProseDocument(input, htmlToBlocks(root, { pseudoHeadings: true, numberOrderedLists: false })),
    ];
  },
};

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((byte, index) => bytes[index] === byte);
}
