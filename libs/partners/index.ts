export * from './partner.process.js';
export * from './partner.decide.js';
export * from './partner.view.js';
export * from './partner-periods.js';
export * from './partners.projection.js';
export * from './partners.commands.js';
export * from './partners.queries.js';
export * from './partners.module.js';
