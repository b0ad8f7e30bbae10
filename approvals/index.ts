export * from './verify-approvals';
