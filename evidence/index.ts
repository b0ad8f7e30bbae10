export * from './period';
export * from './pack';
export * from './html-report';
export * from './write-pack';
