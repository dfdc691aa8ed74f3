/**
 * Loads a package on first use and keeps it. The packages with native bindings cost several MB of
 * RSS each just to load, so each is loaded by the first transport that needs it, not by importing
 * `@citybay/firmware-bridge`.
 */
export function lazyModule<T>(name: string, neededFor: string, load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((cause: unknown) => {
      // Not kept: a package installed (or a binding rebuilt) later loads on the next try.
      loading = undefined;
      throw new Error(
        `${neededFor} need the package "${name}", which could not be loaded: ${(cause as Error).message}`,
        {
          cause,
        },
      );
    });
    return loading;
  };
}
