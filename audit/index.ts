export * from './audit';
export * from './render';
export * from './resend';
