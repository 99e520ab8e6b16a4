import { loadRunConfig } from '../runtime.js';

/** `guyub config check [file]`: validates config/ (and an override file) without starting. */
export async function configCheckCommand(file?: string): Promise<number> {
  loadRunConfig(file);
  process.stdout.write('configuration is valid\n');
  return 0;
}
