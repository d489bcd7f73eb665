export * from './version.js';
export * from './errors.js';
export * from './names.js';
export * from './look-alike-names.js';
export * from './signals.js';
export * from './ice-servers.js';
export * from './events.js';
export * from './peer-messages.js';
