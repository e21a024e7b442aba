export { isPagePath } from './paths.js';
export { problemPage } from './problem-page.js';
export { WebModule } from './web.module.js';
