export { SafeHtml, escapeHtml, html, join, trusted } from './html.js';
