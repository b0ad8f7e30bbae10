export * from './model';
export * from './constructs';
export * from './stacks';
export * from './policy';
export * from './records';
