import { useEffect, useState } from 'preact/hooks';

/** One request's state for a component: re-run when `deps` change, the older answer dropped. */
export type Loaded<T> = { status: 'loading' } | { status: 'done'; value: T } | { status: 'error'; error: unknown };

export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]): [Loaded<T>, () => void] {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    setState({ status: 'loading' });
    load(controller.signal).then(
      (value) => { if (!controller.signal.aborted) setState({ status: 'done', value }); },
      (error: unknown) => { if (!controller.signal.aborted) setState({ status: 'error', error }); },
    );
    return () => controller.abort();
  }, [...deps, attempt]);
  return [state, () => setAttempt((n) => n + 1)];
}
