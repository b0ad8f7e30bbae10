export * from './schema';
export * from './load';
export * from './json-schema';
export { DEFAULT_YAML_LIMITS, FORBIDDEN_KEYS } from './safe-yaml';
export type { YamlLimits } from './safe-yaml';
export * from './data-file';
