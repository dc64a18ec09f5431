import { useCallback, useEffect, useState } from 'react';

export type AsyncState<Value> =
  | { status: 'loading' }
  | { status: 'error'; error: Error }
  | { status: 'done'; value: Value };

/** Runs `load` when its dependencies change; `reload` runs it again. A stale answer is dropped. */
export function useAsync<Value>(
  load: () => Promise<Value>,
  dependencies: readonly unknown[],
): [AsyncState<Value>, () => void] {
  const [state, setState] = useState<AsyncState<Value>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller names what `load` depends on.
  useEffect(() => {
    let current = true;
    setState((previous) => (previous.status === 'done' ? previous : { status: 'loading' }));
    load().then(
      (value) => current && setState({ status: 'done', value }),
      (error: unknown) => current && setState({ status: 'error', error: error as Error }),
    );
    return () => {
      current = false;
    };
  }, [...dependencies, generation]);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return [state, reload];
}
