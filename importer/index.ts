export * from './catalog';
export * from './preset-detection';
export * from './live-snapshot';
export * from './build-definition';
export * from './render-module';
export * from './guardrail-report';
export * from './summary';
export * from './ts-literals';
