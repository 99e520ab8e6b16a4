#!/usr/bin/env node
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('guyub is not built yet: run `npm install` (its prepare script builds dist/) or `npm run build`.');
  process.exit(1);
}
await import(entry.href);
