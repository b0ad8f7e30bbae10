export * from './segment-workspace';
export * from './segment-workspace-props';
export * from './segment-collaborator';
export * from './workspace-grant';
export * from './user-group-grant';
export * from './source-access';
export * from './grant-base';
export { NOW_CONTEXT_KEY } from './synth-clock';
export * from './access-model';
