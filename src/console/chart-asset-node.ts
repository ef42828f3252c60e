/** Chart.js's browser build, read once from the installed package (Node; other runtimes bundle it). */
import { readFile } from 'node:fs/promises';

let cached: Promise<string> | null = null;

export function chartScriptFromPackage(): Promise<string> {
  cached ??= readFile(new URL('./chart.umd.min.js', import.meta.resolve('chart.js')), 'utf8');
  return cached;
}
