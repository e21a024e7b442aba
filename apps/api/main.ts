// The API on its own (`node dist/apps/api/main.js`); the usual way in is `u4ssc serve` (npm start).
import 'reflect-metadata';
import { serveCommand } from '../cli/commands/serve.js';

await serveCommand(process.argv.slice(2));
