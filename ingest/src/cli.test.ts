import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isCardNumber } from './privacy/index.ts';
import { openSqliteStore } from './store/sqlite-store.ts';

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));
const FIXTURE_KB = fileURLToPath(new URL('./fixtures/pipeline/kb', import.meta.url));
const POISONED_KB = fileURLToPath(new URL('./safety/fixtures/poisoned-kb', import.meta.url));
const HISTORY_EXPORT = fileURLToPath(new URL('./history/fixtures/helpdesk-export.csv', import.meta.url));
const dataDir = mkdtempSync(path.join(tmpdir(), 'naparnik-cli-'));

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [CLI, ...args, '--data-dir', dataDir], {
    encoding: 'utf8',
    env: { ...process.env, INIT_CWD: '' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

// Every test starts the CLI as its own Node process (2–5 s each on a loaded 2-core machine): the
// harness waits up to a minute for one, which times nothing the product does.
describe('naparnik-ingest CLI', { timeout: 60_000 }, () => {
  it('prints the ingest summary as one JSON object and exits 1 when some files failed', () => {
    const result = run('ingest', FIXTURE_KB, '--collection', 'cli', '--json');
    expect(result.code).toBe(1);
    const summary = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(summary).sort()).toEqual([
      'added',
      'chunks',
      'failed',
      'flagged',
      'removed',
      'seconds',
      'unchanged',
      'updated',
      'warnings',
    ]);
    expect(summary.added).toBe(4);
    expect(summary.failed).toContainEqual({ file: 'articles/empty.md', reason: 'file is empty' });
  });

  it('prints one line per file and the summary in plain text when not on a terminal', () => {
    const result = run('ingest', path.join(FIXTURE_KB, 'faq.csv'), '--collection', 'cli');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('[1/1] faq.csv: 3 documents (0 added, 0 updated, 3 unchanged)');
    expect(result.stdout).toMatch(/cli: 0 added, 0 updated, 3 unchanged, 0 removed, 0 failed/);
  });

  it('prints every document the safety detector flagged, with its kinds and the words that matched', () => {
    const result = run('ingest', POISONED_KB, '--collection', 'poisoned');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /flagged: faq\.ru\.csv: faq-refund-unhappy: money-promise, sensitive-data-request \([^)]*\): «[^»]*пообещайте/u,
    );
    expect(result.stdout).toMatch(/flagged: faq\.ru\.csv: faq-assistant-note: prompt-injection/u);
    expect(result.stdout).not.toContain('faq-refund-card');
  });

  it('prints search hits as JSON with the documented fields', () => {
    const result = run('search', 'сколько стоит доставкой', '--collection', 'cli', '--top', '2', '--json');
    expect(result.code).toBe(0);
    const hits = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    expect(hits).toHaveLength(2);
    expect(Object.keys(hits[0]!).sort()).toEqual([
      'chunkId',
      'documentId',
      'kind',
      'score',
      'source',
      'text',
      'title',
    ]);
    expect(hits[0]!.documentId).toBe('faq-delivery-cost');
  });

  it('prints the warnings of an FAQ sheet: a repeated question, a row in another language', () => {
    const sheet = path.join(dataDir, 'sheet.csv');
    writeFileSync(
      sheet,
      'Вопрос;Ответ\nЕсть ли скидки?;Да, 5% на второй заказ.\nЕсть ли скидки?;Да, 5% на второй заказ.\n' +
        'Do you ship abroad?;Yes, to Belarus and Kazakhstan in 7–14 days.\nСколько идёт доставка?;От 1 до 7 дней.\n',
    );
    const result = run('ingest', sheet, '--collection', 'sheet');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('sheet: 3 added');
    expect(result.stdout).toContain(
      'warning: sheet.csv: row 3 repeats the question and answer of row 2: skipped',
    );
    expect(result.stdout).toContain(
      'warning: sheet.csv: row 4 is in English, unlike the file (Russian): tagged en',
    );
  }, 30_000);

  it('imports a helpdesk export as history and says which columns it read', () => {
    const result = run('ingest', HISTORY_EXPORT, '--collection', 'cli', '--history');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('cli history: 3 added, 0 updated, 0 unchanged');
    expect(result.stdout).toContain(
      'columns id=Номер обращения, date=Дата обращения, question=Текст обращения, answer=Ответ оператора, topic=Тема, documents=ID статьи',
    );
    expect(result.stdout).toContain('1 had personal data masked');
    const again = run('ingest', HISTORY_EXPORT, '--collection', 'cli', '--history', '--json');
    expect(JSON.parse(again.stdout)).toMatchObject({ added: 0, unchanged: 3 });
  }, 30_000);

  it("masks history with the service's masking: no Luhn-valid card number survives in the stored history", async () => {
    const own = mkdtempSync(path.join(tmpdir(), 'naparnik-cli-cards-'));
    try {
      const file = path.join(own, 'export.csv');
      writeFileSync(
        file,
        [
          'Текст обращения;Ответ оператора',
          'Списали дважды с карты 2200 7000 0000 0009, верните;Вернём на карту 5555-5555-5555-4444 за 3 дня',
          'Где заказ 4111111111111111? Оплатила вчера;Заказ 4111111111111111 у курьера',
          'Заказ 31047589 не пришёл;Передали в доставку',
        ].join('\n'),
      );
      const result = spawnSync(
        process.execPath,
        [CLI, 'ingest', file, '--collection', 'cards', '--history', '--json', '--data-dir', own],
        { encoding: 'utf8', env: { ...process.env, INIT_CWD: '' } },
      );
      expect(result.status).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ added: 3 });
      const store = await openSqliteStore({ dataDir: own });
      const stored = (await store.listHistory('cards'))
        .map((entry) => `${entry.question}\n${entry.answer ?? ''}`)
        .join('\n');
      await store.close();
      expect(stored).toContain('[CARD]');
      // An order number that is no card stays: the operator needs it.
      expect(stored).toContain('31047589');
      const files = (readdirSync(own, { recursive: true }) as string[])
        .filter((name) => /\.sqlite(-wal)?$/u.test(name))
        .map((name) => readFileSync(path.join(own, name)).toString('latin1'));
      for (const text of [stored, ...files]) {
        const cards = [...text.matchAll(/\d(?:[ -]?\d){12,18}/gu)]
          .map((match) => match[0].replace(/\D/gu, ''))
          .filter((digits) => isCardNumber(digits));
        expect(cards).toEqual([]);
      }
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  }, 30_000);

  it('filters search by kind', () => {
    const result = run('search', 'серебро', '--collection', 'cli', '--kind', 'faq', '--json');
    const hits = JSON.parse(result.stdout) as Array<{ kind: string }>;
    expect(hits.every((hit) => hit.kind === 'faq')).toBe(true);
  });

  it.each([
    [['search', 'x', '--collection', 'cli', '--kind', 'faqs'], /--kind must be one of faq, script, template/],
    [['search', 'x', '--collection', 'cli', '--top', 'ten'], /--top must be a whole number/],
    [['ingest', FIXTURE_KB], /--collection <name> is required/],
    [['search', 'доставка', '--collection', 'missing'], /collection "missing" does not exist/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [
      ['ingest', FIXTURE_KB, '--collection', 'cli', '--map', 'question=Вопрос'],
      /--map .* use it with --history/,
    ],
    [
      ['ingest', HISTORY_EXPORT, '--collection', 'cli', '--history', '--map', 'reply=Ответ'],
      /--map "reply=Ответ": write field=Column/,
    ],
  ])('exits 2 with a clear message for %j', (args, message) => {
    const result = run(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
