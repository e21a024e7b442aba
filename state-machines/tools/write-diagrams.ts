import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MACHINES } from '../index.js';
import { diagramFileName, diagramText } from './diagram-file.js';

// Regenerates every machine's committed diagram: `npm run diagrams`.
for (const entry of MACHINES) {
  const file = join(process.cwd(), entry.folder, diagramFileName(entry.id));
  writeFileSync(file, diagramText(entry));
  console.log(`wrote ${file}`);
}
