import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { packageRoot } from '../core/paths.js';
import type { Platform } from '../contracts/index.js';
import { CommunityConfigSchema, CommunityOverrideHeaderSchema, type CommunityConfig } from './schema.js';

/** Every problem found in the configuration, each with its file and path. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const defaultConfigDir = (): string => process.env.GUYUB_CONFIG_DIR ?? path.join(packageRoot, 'config');

type Plain = Record<string, unknown>;
const isPlain = (value: unknown): value is Plain => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Objects merge key by key; arrays and scalars from the override replace the base. */
export function deepMerge(base: unknown, override: unknown): unknown {
  if (!isPlain(base) || !isPlain(override)) return override === undefined ? base : override;
  const merged: Plain = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = deepMerge(base[key], value);
  return merged;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function formatIssue(file: string, issue: z.core.$ZodIssue): string {
  const where = issue.path.length ? issue.path.join('.') : '(top level)';
  const got = 'input' in issue ? `, got ${describe(issue.input)}` : '';
  switch (issue.code) {
    case 'unrecognized_keys':
      return `${file}: ${where}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
    case 'invalid_type':
      return `${file}: ${where}: expected ${issue.expected}${got}`;
    case 'invalid_value':
      return `${file}: ${where}: expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}${got}`;
    default:
      return `${file}: ${where}: ${issue.message}${got}`;
  }
}

function readYaml(file: string, problems: string[]): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    problems.push(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    return undefined;
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length) {
    for (const error of doc.errors) {
      const at = error.linePos?.[0];
      problems.push(`${file}${at ? `:${at.line}:${at.col}` : ''}: ${error.message.split('\n')[0]}`);
    }
    return undefined;
  }
  return doc.toJS() ?? {};
}

function validate(file: string, data: unknown, problems: string[]): CommunityConfig | undefined {
  const result = CommunityConfigSchema.safeParse(data, { reportInput: true });
  if (result.success) return result.data;
  for (const issue of result.error.issues) problems.push(formatIssue(file, issue));
  return undefined;
}

export interface LoadConfigOptions {
  /** Folder with default.yaml and communities/*.yaml. */
  dir?: string;
  /** A file merged over the defaults for every community (replay --config, GUYUB_CONFIG). */
  overrideFile?: string;
}

/** The validated configuration of every community, defaults included. */
export class ConfigStore {
  constructor(
    readonly defaults: CommunityConfig,
    private readonly overrides: ReadonlyMap<string, CommunityConfig>,
  ) {}

  /** The configuration of one community: its own file if it has one, else the defaults. */
  for(platform: Platform, communityId: string): CommunityConfig {
    return this.overrides.get(`${platform}:${communityId}`) ?? this.overrides.get(`*:${communityId}`) ?? this.defaults;
  }
}

/**
 * Reads config/default.yaml, an optional whole-run override file and config/communities/*.yaml,
 * and validates each community's merged result. Throws ConfigError listing every problem.
 */
export function loadConfig(options: LoadConfigOptions = {}): ConfigStore {
  const dir = options.dir ?? defaultConfigDir();
  const problems: string[] = [];
  const relative = (file: string) => path.relative(process.cwd(), file) || file;

  const defaultFile = path.join(dir, 'default.yaml');
  let base = readYaml(defaultFile, problems);
  if (options.overrideFile) {
    const override = readYaml(options.overrideFile, problems);
    if (override !== undefined && !isPlain(override)) problems.push(`${relative(options.overrideFile)}: expected a mapping of settings`);
    else base = deepMerge(base, override);
  }
  const defaults = base === undefined ? undefined : validate(relative(options.overrideFile ?? defaultFile), base, problems);

  const overrides = new Map<string, CommunityConfig>();
  const communitiesDir = path.join(dir, 'communities');
  const files = existsSync(communitiesDir)
    ? readdirSync(communitiesDir).filter((f) => /\.ya?ml$/.test(f)).sort()
    : [];
  for (const name of files) {
    const file = path.join(communitiesDir, name);
    const data = readYaml(file, problems);
    if (data === undefined) continue;
    if (!isPlain(data)) {
      problems.push(`${relative(file)}: expected a mapping with a "community" key and overrides`);
      continue;
    }
    const header = CommunityOverrideHeaderSchema.safeParse(data, { reportInput: true });
    if (!header.success) {
      for (const issue of header.error.issues) problems.push(formatIssue(relative(file), issue));
      continue;
    }
    const { community: _community, platform: _platform, ...rest } = data;
    const merged = validate(relative(file), deepMerge(base, rest), problems);
    const key = `${header.data.platform ?? '*'}:${header.data.community}`;
    if (overrides.has(key)) problems.push(`${relative(file)}: community ${header.data.community} is configured twice`);
    else if (merged) overrides.set(key, merged);
  }

  if (problems.length || !defaults) throw new ConfigError(problems);
  return new ConfigStore(defaults, overrides);
}
