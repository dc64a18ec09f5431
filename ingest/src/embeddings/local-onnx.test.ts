/**
 * The local ONNX embedder through the real transformers.js + onnxruntime-node pipeline, offline.
 *
 * The model is GENERATED for the test by fixtures/make-tiny-onnx-model.ts: a tiny BERT-shaped
 * network (WordPiece vocabulary from the demo knowledge base, seeded random weights, no
 * attention). It proves the loading, tokenising, pooling and identity code, not embedding
 * quality; real use points NAPARNIK_ONNX_MODEL_DIR at a real export (ingest/README.md).
 */
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from './embedder.ts';
import { writeTinyModel } from './fixtures/make-tiny-onnx-model.ts';
import { createLocalOnnxEmbedder, type LocalOnnxOptions } from './local-onnx.ts';

const HIDDEN = 48;
const root = mkdtempSync(path.join(tmpdir(), 'naparnik-onnx-'));
const modelDir = path.join(root, 'tiny-bert');

function options(overrides: Partial<LocalOnnxOptions> = {}): LocalOnnxOptions {
  return {
    modelDir,
    dtype: 'fp32',
    pooling: 'mean',
    queryPrefix: '',
    passagePrefix: '',
    batchSize: 4,
    maxTokens: 512,
    ...overrides,
  };
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let index = 0; index < a.length; index++) dot += a[index]! * b[index]!;
  return dot;
}

function norm(vector: Float32Array): number {
  return Math.sqrt(cosine(vector, vector));
}

let embedder: Embedder;

beforeAll(async () => {
  writeTinyModel(modelDir, { hidden: HIDDEN });
  embedder = await createLocalOnnxEmbedder(options());
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('local ONNX embedder (generated tiny model)', () => {
  it('takes its dimensions from the model output and returns unit vectors', async () => {
    expect(embedder.dimensions).toBe(HIDDEN);
    const [vector] = await embedder.embedDocuments(['Сколько стоит доставка курьером?']);
    expect(vector).toHaveLength(HIDDEN);
    expect(norm(vector!)).toBeCloseTo(1, 5);
  });

  it('places texts that share word pieces closer than unrelated texts', async () => {
    // Most pieces shared («заказа» / «заказо ##в» aside): with random weights only a large share is
    // a margin every seed keeps (30 of 30 seeds by at least 0.3); «стоимость доставки заказов»,
    // sharing one piece of six, cleared 0.2 for 9 seeds in 30.
    const [delivery, deliveryForms, silver] = await embedder.embedDocuments([
      'сколько стоит доставка заказа',
      'сколько стоит доставка заказов',
      'как ухаживать за серебряным кольцом',
    ]);
    expect(cosine(delivery!, deliveryForms!)).toBeGreaterThan(cosine(delivery!, silver!) + 0.2);
  });

  it('gives a text the same vector alone and in a padded batch with longer texts', async () => {
    const texts = [
      'гарантия',
      'Здравствуйте! Хочу вернуть кольцо, не подошёл размер, чек сохранился',
      'where is my order',
      'доставка',
      'Можно ли обменять серьги на другие, если упаковка вскрыта?',
    ];
    const batched = await embedder.embedDocuments(texts);
    for (const [index, text] of texts.entries()) {
      const alone = await embedder.embedQuery(text);
      for (let dimension = 0; dimension < HIDDEN; dimension++) {
        expect(batched[index]![dimension]).toBeCloseTo(alone[dimension]!, 5);
      }
    }
  });

  it('puts the query prefix before queries and the passage prefix before passages', async () => {
    const prefixed = await createLocalOnnxEmbedder(
      options({ queryPrefix: 'вопрос ', passagePrefix: 'ответ ' }),
    );
    const [asPassage] = await embedder.embedDocuments(['ответ возврат денег']);
    const [prefixedPassage] = await prefixed.embedDocuments(['возврат денег']);
    const asQuery = await embedder.embedQuery('вопрос возврат денег');
    const prefixedQuery = await prefixed.embedQuery('возврат денег');
    expect(Array.from(prefixedPassage!)).toEqual(Array.from(asPassage!));
    expect(Array.from(prefixedQuery)).toEqual(Array.from(asQuery));
    expect(prefixed.id).not.toBe(embedder.id);
  });

  it('takes the first token with cls pooling (this model has no attention, so it is the same for every text)', async () => {
    const cls = await createLocalOnnxEmbedder(options({ pooling: 'cls' }));
    const [first, second] = await cls.embedDocuments(['доставка', 'гарантия на серебро']);
    expect(Array.from(first!)).toEqual(Array.from(second!));
    const [meanFirst, meanSecond] = await embedder.embedDocuments(['доставка', 'гарантия на серебро']);
    expect(Array.from(meanFirst!)).not.toEqual(Array.from(meanSecond!));
    expect(cls.id).not.toBe(embedder.id);
  });

  it('cuts texts to the configured number of tokens', async () => {
    const short = await createLocalOnnxEmbedder(options({ maxTokens: 8 }));
    const long = 'доставка курьером по москве стоит триста рублей а самовывоз бесплатный всегда';
    const cut = await short.embedQuery(long);
    const head = await short.embedQuery('доставка курьером по москве стоит триста рублей');
    const full = await embedder.embedQuery(long);
    expect(cosine(cut, head)).toBeGreaterThan(0.999);
    expect(cosine(cut, full)).toBeLessThan(0.99);
  });

  it('names the model folder and the onnx file digest in its id, so another model file gives another id', async () => {
    expect(embedder.id).toMatch(new RegExp(`^onnx:tiny-bert:[0-9a-f]{12}:${HIDDEN}:mean-[0-9a-f]{8}$`));
    const otherDir = path.join(root, 'reseeded', 'tiny-bert');
    writeTinyModel(otherDir, { hidden: HIDDEN, seed: 8 });
    const other = await createLocalOnnxEmbedder(options({ modelDir: otherDir }));
    expect(other.dimensions).toBe(HIDDEN);
    expect(other.id).not.toBe(embedder.id);
    expect(other.id.split(':')[2]).not.toBe(embedder.id.split(':')[2]);
  });

  it('runs a model without token_type_ids, as XLM-RoBERTa models such as multilingual-e5 are', async () => {
    const withoutTypes = path.join(root, 'no-token-types', 'tiny-xlmr');
    writeTinyModel(withoutTypes, { hidden: 24, tokenTypes: false });
    const xlmr = await createLocalOnnxEmbedder(options({ modelDir: withoutTypes }));
    expect(xlmr.dimensions).toBe(24);
    const [vector] = await xlmr.embedDocuments(['сколько стоит доставка заказа']);
    expect(vector).toHaveLength(24);
    expect(norm(vector!)).toBeCloseTo(1, 5);
  });

  it('is refused with a clear error when the folder does not exist', async () => {
    await expect(
      createLocalOnnxEmbedder(options({ modelDir: path.join(root, 'nowhere') })),
    ).rejects.toMatchObject({
      code: 'model-dir-missing',
      message: expect.stringContaining('NAPARNIK_ONNX_MODEL_DIR'),
    });
  });

  it('names every missing file, and the onnx file the weight type asks for', async () => {
    const partial = path.join(root, 'partial');
    writeTinyModel(partial, { hidden: 16 });
    unlinkSync(path.join(partial, 'tokenizer.json'));
    const failure = createLocalOnnxEmbedder(options({ modelDir: partial, dtype: 'q8' }));
    await expect(failure).rejects.toMatchObject({ code: 'model-files-missing' });
    await expect(failure).rejects.toThrow(/tokenizer\.json, onnx\/model_quantized\.onnx/);
  });

  it('reports a corrupt onnx file as an invalid model naming the file', async () => {
    const corrupt = path.join(root, 'corrupt');
    writeTinyModel(corrupt, { hidden: 16 });
    writeFileSync(path.join(corrupt, 'onnx', 'model.onnx'), 'this is not a protobuf');
    await expect(createLocalOnnxEmbedder(options({ modelDir: corrupt }))).rejects.toMatchObject({
      code: 'model-invalid',
      message: expect.stringContaining(path.join('onnx', 'model.onnx')),
    });
  });

  it('refuses a model whose last_hidden_state is not [batch, sequence, hidden]', async () => {
    const pooled = path.join(root, 'pooled');
    writeTinyModel(pooled, { hidden: 16, output: 'pooled' });
    await expect(createLocalOnnxEmbedder(options({ modelDir: pooled }))).rejects.toMatchObject({
      code: 'model-output-shape',
    });
  });

  it('reports a config.json that is not JSON', async () => {
    const broken = path.join(root, 'broken-config');
    mkdirSync(broken, { recursive: true });
    writeTinyModel(broken, { hidden: 16 });
    writeFileSync(path.join(broken, 'config.json'), '{ model_type: bert');
    await expect(createLocalOnnxEmbedder(options({ modelDir: broken }))).rejects.toMatchObject({
      code: 'model-invalid',
      message: expect.stringContaining('config.json'),
    });
  });
});
