export * from './audit';
export * from './meta';
export * from './outbox';
export * from './people';
export * from './plans';
export * from './outreach';
