/** The part of Az.js (`az` on npm, no bundled types) that `../inflect.ts` uses. */
declare module 'az' {
  namespace Az {
    interface Tag {
      readonly [grammeme: string]: unknown;
      toString(): string;
    }
    interface Parse {
      readonly word: string;
      readonly tag: Tag;
      /** `Dictionary` for a known word; `SuffixKnown`, `PrefixKnown`… for a guess. */
      readonly parser: string;
      readonly score: number;
      inflect(grammemes: string[]): Parse | false | undefined;
      normalize(): Parse;
    }
    type Loader = (
      file: string,
      responseType: 'json' | 'arraybuffer',
      callback: (error: unknown, value?: unknown) => void,
    ) => void;
    interface MorphFunction {
      (word: string, options?: { stutter?: number; typos?: number; ignoreCase?: boolean }): Parse[];
      init(path: string, callback: (error: unknown) => void): void;
    }
  }
  const Az: {
    load: Az.Loader;
    Morph: Az.MorphFunction;
  };
  export default Az;
}
