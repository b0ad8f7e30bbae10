export * from './review-file';
export * from './reviewers';
export * from './snapshot';
export * from './start';
export * from './status';
export * from './access-edit';
export * from './close';
export * from './verify';
