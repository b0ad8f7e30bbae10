export * from './access-definition';
export * from './segment-access-stack';
