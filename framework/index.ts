export * from './cdk-framework';
export * from './framework-choice';
export * from './framework-cli';
