export * from './ballot-dossier.js';
export * from './render-dossier.js';
export * from './machine-graph.js';
export { escapeHtml, html, SafeHtml } from '../../html/index.js';
