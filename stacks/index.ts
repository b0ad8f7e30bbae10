export * from './access-definition';
export * from './segment-access-stack';
export * from './apply-policy';
export * from './synthesize-app';
