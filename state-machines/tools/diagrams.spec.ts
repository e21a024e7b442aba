import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { MACHINES } from '../index.js';
import { diagramFileName, diagramText } from './diagram-file.js';

describe('committed machine diagrams', () => {
  it.each(MACHINES.map((entry) => [entry.id, entry] as const))(
    '%s diagram matches its machine (run `npm run diagrams` when this fails)',
    (_id, entry) => {
      const committed = readFileSync(join(process.cwd(), entry.folder, diagramFileName(entry.id)), 'utf8');
      expect(committed).toBe(diagramText(entry));
    },
  );
});
