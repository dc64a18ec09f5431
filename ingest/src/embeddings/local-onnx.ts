import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { type Embedder, EmbedderError, normalizeInPlace } from './embedder.ts';

/**
 * A neural embedder that runs a local ONNX export of a Hugging Face encoder (BERT, XLM-R, e5,
 * bge…) in process with transformers.js on onnxruntime-node. Nothing leaves the machine and
 * nothing is downloaded: remote models are switched off, and the folder must hold the files.
 *
 * transformers.js (and its native runtime) is imported only when this embedder is built, so the
 * default embedder's start-up does not pay for it.
 */

/** transformers.js's file suffix per weight type: `fp32` is onnx/model.onnx, `q8` onnx/model_quantized.onnx. */
export const ONNX_DTYPES = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
  q4f16: '_q4f16',
  bnb4: '_bnb4',
} as const;
export type OnnxDtype = keyof typeof ONNX_DTYPES;

export interface LocalOnnxOptions {
  /** A folder in the Hugging Face layout: config.json, tokenizer.json, tokenizer_config.json, onnx/. */
  modelDir: string;
  dtype: OnnxDtype;
  /** `mean` over the attention mask (e5, most sentence models) or the first token's vector (`cls`: bge). */
  pooling: 'mean' | 'cls';
  /** Put before every query and every passage: e5 models expect "query: " and "passage: ". */
  queryPrefix: string;
  passagePrefix: string;
  batchSize: number;
  /** Longer texts are cut to this many tokens (the model's own limit, usually 512). */
  maxTokens: number;
}

/** The file the embedder loads, relative to the model folder. */
export function onnxModelFile(dtype: OnnxDtype): string {
  return `onnx/model${ONNX_DTYPES[dtype]}.onnx`;
}

const REQUIRED_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json'];
const modelConfigSchema = z.object({ model_type: z.string().min(1) }).loose();

interface TokenTensor {
  dims: number[];
  data: BigInt64Array;
}
interface HiddenTensor {
  dims: number[];
  type: string;
  data: ArrayLike<number>;
  to(type: 'float32'): { data: Float32Array };
}
type Tokenize = (
  texts: string[],
  options: { padding: boolean; truncation: boolean; max_length: number },
) => { input_ids: TokenTensor; attention_mask: TokenTensor };
type RunModel = (inputs: Record<string, TokenTensor>) => Promise<Record<string, HiddenTensor | undefined>>;

let library: Promise<typeof import('@huggingface/transformers')> | undefined;

/** Imports transformers.js once, set never to reach for a hub or a cache. */
function loadTransformers(): Promise<typeof import('@huggingface/transformers')> {
  library ??= import('@huggingface/transformers').then(
    (transformers) => {
      transformers.env.allowRemoteModels = false;
      transformers.env.allowLocalModels = true;
      transformers.env.useFSCache = false;
      transformers.env.useBrowserCache = false;
      // Our errors say what went wrong; its own warnings would go to the console.
      transformers.env.logLevel = transformers.LogLevel.ERROR;
      return transformers;
    },
    (error: unknown) => {
      library = undefined;
      throw new EmbedderError(
        'runtime-unavailable',
        `the onnx embedder needs @huggingface/transformers and onnxruntime-node (run pnpm install): ${(error as Error).message}`,
        { cause: error },
      );
    },
  );
  return library;
}

export async function createLocalOnnxEmbedder(options: LocalOnnxOptions): Promise<Embedder> {
  const modelDir = path.resolve(options.modelDir);
  const modelFile = onnxModelFile(options.dtype);
  await checkModelFolder(modelDir, modelFile);
  const digest = await sha256File(path.join(modelDir, modelFile));
  const transformers = await loadTransformers();

  // An absolute path is never taken for a hub id, and local_files_only forbids any download.
  const tokenizer = await transformers.AutoTokenizer.from_pretrained(modelDir, {
    local_files_only: true,
  }).catch((error: unknown) => {
    throw new EmbedderError(
      'model-invalid',
      `could not load the tokenizer in ${modelDir}: ${message(error)}`,
      {
        cause: error,
      },
    );
  });
  const model = await transformers.AutoModel.from_pretrained(modelDir, {
    local_files_only: true,
    dtype: options.dtype,
    device: 'cpu',
    // onnxruntime's own warnings (graph optimisations, unused initialisers) are not actionable here.
    session_options: { logSeverityLevel: 3 },
  }).catch((error: unknown) => {
    throw new EmbedderError(
      'model-invalid',
      `could not load the ONNX model ${path.join(modelDir, modelFile)}: ${message(error)}`,
      { cause: error },
    );
  });
  const tokenize = tokenizer as unknown as Tokenize;
  const runModel = model as unknown as RunModel;

  async function embedBatch(texts: string[]): Promise<Float32Array[]> {
    const inputs = tokenize(texts, { padding: true, truncation: true, max_length: options.maxTokens });
    const outputs = await runModel(inputs as unknown as Record<string, TokenTensor>);
    const hidden = outputs.last_hidden_state;
    const [batch, sequence] = inputs.input_ids.dims;
    if (!hidden) {
      throw new EmbedderError(
        'model-output-shape',
        `ONNX model ${modelFile} in ${modelDir} has no last_hidden_state output (it has ${Object.keys(outputs).join(', ')})`,
      );
    }
    if (hidden.dims.length !== 3 || hidden.dims[0] !== batch || hidden.dims[1] !== sequence) {
      throw new EmbedderError(
        'model-output-shape',
        `ONNX model ${modelFile} in ${modelDir}: last_hidden_state is [${hidden.dims.join(', ')}], expected [batch ${batch}, sequence ${sequence}, hidden]`,
      );
    }
    const values = hidden.type === 'float32' ? hidden.data : hidden.to('float32').data;
    return pool(values, inputs.attention_mask.data, hidden.dims as [number, number, number], options);
  }

  // One inference at a time: onnxruntime already spreads one run over the cores.
  let queue: Promise<unknown> = Promise.resolve();
  const serialized = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };

  /** Batches texts of similar length together (less padding), returns vectors in input order. */
  async function embedAll(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const order = texts.map((_, index) => index).sort((a, b) => texts[a]!.length - texts[b]!.length);
    const vectors: Float32Array[] = new Array(texts.length);
    for (let start = 0; start < order.length; start += options.batchSize) {
      signal?.throwIfAborted();
      const indexes = order.slice(start, start + options.batchSize);
      const batch = await serialized(() => embedBatch(indexes.map((index) => texts[index]!)));
      indexes.forEach((index, position) => {
        vectors[index] = batch[position]!;
      });
    }
    return vectors;
  }

  // The dimensions come from what the model returns, not from what its config.json claims.
  const [probe] = await embedAll(['проверка размерности']).catch((error: unknown) => {
    if (error instanceof EmbedderError) throw error;
    throw new EmbedderError(
      'model-invalid',
      `ONNX model ${path.join(modelDir, modelFile)} failed on a test sentence: ${message(error)}`,
      { cause: error },
    );
  });
  const dimensions = probe!.length;
  const settings = createHash('sha256')
    .update(JSON.stringify([options.queryPrefix, options.passagePrefix, options.maxTokens]))
    .digest('hex')
    .slice(0, 8);
  const name = path.basename(modelDir).replace(/[^\w.-]+/gu, '_');
  return {
    id: `onnx:${name}:${digest.slice(0, 12)}:${dimensions}:${options.pooling}-${settings}`,
    dimensions,
    embedDocuments(texts, callOptions) {
      return embedAll(
        texts.map((text) => options.passagePrefix + text),
        callOptions?.signal,
      );
    },
    async embedQuery(text, callOptions) {
      const [vector] = await embedAll([options.queryPrefix + text], callOptions?.signal);
      return vector!;
    },
  };
}

/** Mean over the tokens the attention mask keeps, or the first token; then unit length if asked. */
function pool(
  values: ArrayLike<number>,
  mask: BigInt64Array,
  [batch, sequence, hidden]: [number, number, number],
  options: Pick<LocalOnnxOptions, 'pooling'>,
): Float32Array[] {
  const vectors: Float32Array[] = [];
  for (let row = 0; row < batch; row++) {
    const vector = new Float32Array(hidden);
    const rowStart = row * sequence * hidden;
    if (options.pooling === 'cls') {
      for (let dimension = 0; dimension < hidden; dimension++)
        vector[dimension] = values[rowStart + dimension]!;
    } else {
      let kept = 0;
      for (let position = 0; position < sequence; position++) {
        if (mask[row * sequence + position] === 0n) continue;
        kept++;
        const offset = rowStart + position * hidden;
        for (let dimension = 0; dimension < hidden; dimension++)
          vector[dimension]! += values[offset + dimension]!;
      }
      if (kept > 0) for (let dimension = 0; dimension < hidden; dimension++) vector[dimension]! /= kept;
    }
    // Always unit length: the store's vector index, its sign bits and the engine's confidence all
    // read a dot product as a cosine.
    vectors.push(normalizeInPlace(vector));
  }
  return vectors;
}

async function checkModelFolder(modelDir: string, modelFile: string): Promise<void> {
  const folder = await stat(modelDir).catch(() => undefined);
  if (!folder?.isDirectory()) {
    throw new EmbedderError(
      'model-dir-missing',
      `ONNX model folder ${modelDir} does not exist or is not a folder (NAPARNIK_ONNX_MODEL_DIR)`,
    );
  }
  const missing: string[] = [];
  for (const file of [...REQUIRED_FILES, modelFile]) {
    const entry = await stat(path.join(modelDir, file)).catch(() => undefined);
    if (!entry?.isFile()) missing.push(file);
  }
  if (missing.length > 0) {
    throw new EmbedderError(
      'model-files-missing',
      `ONNX model folder ${modelDir} lacks ${missing.join(', ')}; it needs the Hugging Face layout ` +
        `(config.json, tokenizer.json, tokenizer_config.json, ${modelFile}; NAPARNIK_ONNX_DTYPE picks the onnx file)`,
    );
  }
  let config: unknown;
  try {
    config = JSON.parse(await readFile(path.join(modelDir, 'config.json'), 'utf8'));
  } catch (error) {
    throw new EmbedderError(
      'model-invalid',
      `${path.join(modelDir, 'config.json')} is not JSON: ${message(error)}`,
    );
  }
  if (!modelConfigSchema.safeParse(config).success) {
    throw new EmbedderError('model-invalid', `${path.join(modelDir, 'config.json')} has no model_type`);
  }
}

function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
