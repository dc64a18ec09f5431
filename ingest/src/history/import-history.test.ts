import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createHashedNgramEmbedder } from '../embeddings/hashed-ngrams.ts';
import { ingestPaths } from '../ingest-pipeline.ts';
import { maskPersonalData } from '../privacy/index.ts';
import type { KnowledgeStore } from '../store/knowledge-store.ts';
import { openSqliteStore } from '../store/sqlite-store.ts';
import { datasetPath } from '../test-support/shared-datasets.ts';
import { type ImportHistoryOptions, importHistory } from './import-history.ts';

const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));
const NOW = new Date('2026-12-01T12:00:00.000Z');
const embedder = createHashedNgramEmbedder({ dimensions: 32 });
const directories: string[] = [];
afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});
function freshDirectory(): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'naparnik-history-'));
  directories.push(directory);
  return directory;
}

describe('importHistory', () => {
  let store: KnowledgeStore;
  const run = (paths: string[], extra: Partial<ImportHistoryOptions> = {}) =>
    importHistory({
      store,
      collection: 'kb',
      paths,
      workingDirectory: FIXTURES,
      mask: maskPersonalData,
      retentionDays: 365,
      clock: () => NOW,
      ...extra,
    });

  beforeEach(async () => {
    store = await openSqliteStore({ dataDir: freshDirectory() });
    await store.ensureCollection('kb', embedder);
  });

  it('ingests the RUTUBE dev cases as they are: query, operatorAnswer, topic1, relevant and id', async () => {
    await ingestPaths({
      store,
      embedder,
      collection: 'kb',
      paths: [datasetPath('rutube-support', 'kb.jsonl')],
    });
    const file = datasetPath('rutube-support', 'cases-dev.jsonl');
    const summary = await run([file]);
    expect(summary.files[0]?.columns).toEqual({
      id: 'id',
      question: 'query',
      answer: 'operatorAnswer',
      topic: 'topic1',
      documents: 'relevant',
    });
    expect(summary).toMatchObject({ added: 400, skippedEmpty: 0, withoutDocuments: 0 });
    expect(summary.unknownDocuments.entries).toBe(0);
    const first = JSON.parse(readFileSync(file, 'utf8').split('\n')[0]!) as Record<string, unknown>;
    const stored = (await store.listHistory('kb')).find((entry) => entry.id === first.id);
    expect(stored).toMatchObject({
      topic: first.topic1,
      documentIds: first.relevant,
      source: 'import',
      createdAt: NOW.toISOString(),
    });
    expect(stored?.question).toBe(maskPersonalData(first.query as string));
    expect((await run([file])).unchanged).toBe(400);
    expect((await store.stats('kb')).history).toBe(400);
  });

  it('finds the columns of a Russian CSV export under a title row and masks personal data', async () => {
    const summary = await run(['helpdesk-export.csv']);
    expect(summary.files[0]?.columns).toEqual({
      id: 'Номер обращения',
      date: 'Дата обращения',
      question: 'Текст обращения',
      answer: 'Ответ оператора',
      topic: 'Тема',
      documents: 'ID статьи',
    });
    expect(summary).toMatchObject({ added: 3, skippedEmpty: 1, withoutDocuments: 1, masked: 1 });
    expect(summary.unknownDocuments).toEqual({ entries: 2, examples: ['faq-delivery', 'faq-return'] });
    const stored = await store.listHistory('kb');
    const first = stored.find((entry) => entry.id === 'T-101')!;
    expect(first.question).not.toContain('916');
    expect(first.answer).not.toContain('ivan.petrov@example.ru');
    expect(first.question).toContain('когда придёт заказ?');
    expect(first).toMatchObject({ topic: 'Доставка', documentIds: ['faq-delivery'] });
    expect(new Date(first.createdAt).getDate()).toBe(28);
  });

  it('refuses a bad date naming the file, row and column, and writes nothing', async () => {
    await expect(run(['helpdesk-export.csv', 'bad-date.csv'])).rejects.toThrow(
      'bad-date.csv: row 3, column "Дата обращения": "вчера" is not a date',
    );
    expect(await store.listHistory('kb')).toEqual([]);
  });

  it('reads an XLSX export with columns named by --map, ids from a hash when the export has none', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Тикеты');
    sheet.addRow(['Клиент написал', 'Что ответили', 'Статьи']);
    sheet.addRow(['Можно ли вернуть серьги?', 'Серьги возврату не подлежат.', 'faq-return; faq-earrings']);
    sheet.addRow(['Сколько стоит доставка?', 'Бесплатно от 5000 ₽.', 'faq-delivery']);
    const file = path.join(freshDirectory(), 'export.xlsx');
    await workbook.xlsx.writeFile(file);
    const columns = { question: 'Клиент написал', answer: 'Что ответили', documents: 'Статьи' };
    const summary = await run([file], { columns });
    expect(summary.added).toBe(2);
    const stored = await store.listHistory('kb');
    expect(stored.map((entry) => entry.documentIds)).toContainEqual(['faq-return', 'faq-earrings']);
    expect(stored.every((entry) => /^h-[0-9a-f]{24}$/.test(entry.id))).toBe(true);
    expect((await run([file], { columns })).unchanged).toBe(2);
  });

  it('reads a comma-separated export under a title line that has no separator', async () => {
    const file = path.join(freshDirectory(), 'export.csv');
    writeFileSync(
      file,
      'Выгрузка из Usedesk\nВопрос,Ответ,Тема\n"Где заказ, который я оплатил?",Уже в пути.,Доставка\n',
    );
    const summary = await run([file]);
    expect(summary.added).toBe(1);
    expect((await store.listHistory('kb'))[0]).toMatchObject({
      question: 'Где заказ, который я оплатил?',
      topic: 'Доставка',
    });
  });

  it('names a --map column the export does not have', async () => {
    await expect(run(['helpdesk-export.csv'], { columns: { answer: 'Решение' } })).rejects.toThrow(
      /helpdesk-export\.csv: --map answer=Решение: no such column \(columns: Номер обращения, Дата обращения/,
    );
  });

  it('refuses a JSON record whose question is not text, naming the record and field', async () => {
    const file = path.join(freshDirectory(), 'tickets.json');
    writeFileSync(
      file,
      JSON.stringify({ tickets: [{ question: 'Где заказ?' }, { question: { text: 'x' } }] }),
    );
    await expect(run([file])).rejects.toThrow(
      'tickets.json: record 2, column "question": expected text, got object',
    );
    expect(await store.listHistory('kb')).toEqual([]);
  });

  it('keeps rows within the retention, removes stored ones past it, and keeps everything with 0 days', async () => {
    await store.addHistory('kb', [
      {
        id: 'ancient',
        question: 'Старый вопрос',
        documentIds: [],
        source: 'import',
        createdAt: '2024-01-01T00:00:00Z',
      },
    ]);
    const summary = await run(['helpdesk-export.csv'], { clock: () => new Date('2027-12-15T00:00:00Z') });
    expect(summary).toMatchObject({ added: 0, skippedExpired: 3, expiredRemoved: 1 });
    expect(await store.listHistory('kb')).toEqual([]);
    const forever = await run(['helpdesk-export.csv'], {
      retentionDays: 0,
      clock: () => new Date('2030-01-01T00:00:00Z'),
    });
    expect(forever).toMatchObject({ added: 3, skippedExpired: 0 });
  });
});
