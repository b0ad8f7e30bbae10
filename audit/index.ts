export * from './audit';
export * from './audit-trail';
export * from './render';
export * from './resend';
export * from './access-events';
