import { build } from 'esbuild';

/**
 * The tab's browser code, bundled from src/tab with esbuild once, when first asked for, and kept in
 * memory: one script and one stylesheet, served from this origin so the page's CSP can stay 'self'.
 */
export function tabAssets() {
  let bundled: Promise<{ js: string; css: string }> | undefined;
  return () => {
    bundled ??= build({
      entryPoints: [new URL('../tab/main.ts', import.meta.url).pathname],
      bundle: true,
      format: 'esm',
      target: 'es2022',
      minify: true,
      write: false,
      outdir: 'out',
      logLevel: 'silent',
      loader: { '.css': 'css' },
    }).then((result) => ({
      js: result.outputFiles.find((f) => f.path.endsWith('.js'))!.text,
      css: result.outputFiles.find((f) => f.path.endsWith('.css'))?.text ?? '',
    }));
    return bundled;
  };
}
