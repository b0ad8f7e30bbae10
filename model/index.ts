export * from './enums';
export * from './role-presets';
export * from './desired-state';
export * from './canonical';
export * from './resolve-grant';
export * from './validation';
export * from './grantable';
