export * from './project';
export * from './versions';
export * from './workspaces';
