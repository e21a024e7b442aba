#!/usr/bin/env node
// The `u4ssc` command: runs the compiled CLI (npm ci and npm start build it; `npm run build` by hand).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/apps/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('u4ssc: the CLI is not built yet; run `npm run build` first (npm ci and npm start do it for you)');
  // Not process.exit: the message must drain first (apps/cli/output.ts).
  process.exitCode = 2;
} else {
  await import(entry.href);
}
