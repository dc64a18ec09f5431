import type { Loader, LoaderInput, SourceDocument } from '../model.ts';
import { buildProseDocument, type ProseBlock } from './prose-sections.ts';
import { assertHasBytes, decodeText } from './prose-text.ts';

const UNDERLINE = /^[ \t]*(={3,}|-{3,})[ \t]*$/u;
// A line of nothing but ====, ----, ****, ~~~~ or ____ is decoration, not content.
const RULE = /^[ \t]*([=\-*~_#])\1{2,}[ \t]*$/u;
const MAX_HEADING_LENGTH = 100;

/**
 * A plain-text file. Sections only where headings are unmistakable: a short line right under a
 * blank line (or at the top) and over a line of `===` (level 1) or `---` (level 2). Everything
 * else stays as written, line breaks included.
 */
export const textLoader: Loader = {
  id: 'text',
  extensions: ['.txt'],
  async load(input: LoaderInput): Promise<SourceDocument[]> {
    assertHasBytes(input.bytes);
    const lines = decodeText(input.bytes).replace(/\r\n?/gu, '\n').split('\n');
    return [buildProseDocument(input, parsePlainText(lines))];
  },
};

function parsePlainText(lines: readonly string[]): ProseBlock[] {
  const blocks: ProseBlock[] = [];
  let paragraph: string[] = [];
  const flush = (): void => {
    if (paragraph.length > 0) blocks.push({ type: 'text', text: paragraph.join('\n') });
    paragraph = [];
  };

  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    const underline = UNDERLINE.exec(lines[index + 1] ?? '');
    const previous = lines[index - 1] ?? '';
    const isHeading =
      underline !== null &&
      line.trim() !== '' &&
      line.trim().length <= MAX_HEADING_LENGTH &&
      !RULE.test(line) &&
      previous.trim() === '';
    if (isHeading) {
      flush();
      blocks.push({ type: 'heading', level: underline[1]?.startsWith('=') ? 1 : 2, text: line });
      index += 1;
    } else if (!line.trim()) {
      flush();
    } else if (!RULE.test(line)) {
      paragraph.push(line);
    }
  }
  flush();
  return blocks;
}
