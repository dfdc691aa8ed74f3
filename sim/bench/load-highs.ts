import highsModule from 'highs';

type HighsLoader = (typeof highsModule)['default'];
export type HighsSolver = Awaited<ReturnType<HighsLoader>>;

/**
 * `highs` types its loader as a CommonJS default export, so TypeScript under NodeNext sees it at
 * `.default`, while Node's ESM entry (`highs.mjs`) hands over the function itself.
 */
export async function loadHighs(): Promise<HighsSolver> {
  const imported = highsModule as unknown as HighsLoader | { default: HighsLoader };
  return typeof imported === 'function' ? imported() : imported.default();
}
