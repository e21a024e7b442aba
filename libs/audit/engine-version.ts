import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: { name: string; version: string } | undefined;

/** The engine's name and version from its package.json (found above this file, in the sources or in dist/). */
export function engineVersion(): { name: string; version: string } {
  if (cached) return cached;
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const { name, version } = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (name && version) return (cached = { name, version });
    }
    if (dirname(dir) === dir) return (cached = { name: 'u4ssc-governance-engine', version: 'unknown' });
  }
}
