import { fileURLToPath } from 'node:url';

/** The package root, whether this file runs from src/ (tsx, vitest) or dist/ (compiled). */
export const packageRoot = fileURLToPath(new URL('../../', import.meta.url));
