export * from './access-definition';
export * from './segment-access-stack';
export * from './apply-policy';
