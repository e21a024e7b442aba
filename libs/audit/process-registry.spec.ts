import { describe, expect, it } from '@jest/globals';
import { MACHINES } from '../../state-machines/index.js';
import { partnerProcess } from '../partners/partner.process.js';
import { PROCESS_REGISTRY, processRegistry } from './process-registry.js';

describe('process registry', () => {
  it.each(MACHINES.map((entry) => [entry.id, entry] as const))(
    'knows the %s process, at the machine version state-machines/index.ts registers (add it to libs/audit/process-registry.ts)',
    (id, entry) => {
      const definition = PROCESS_REGISTRY.get(id);
      expect(definition?.id).toBe(id);
      expect(definition?.versions[entry.version]).toBe(entry.machine);
    },
  );

  it('refuses two definitions for one machine id', () => {
    expect(() => processRegistry([partnerProcess, { ...partnerProcess }])).toThrow(/two process definitions claim machine id "partner"/);
  });
});
