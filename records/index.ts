export * from './inventory';
export * from './access-matrix';
export * from './handoff';
export * from './write-records';
export * from './text-sink';
