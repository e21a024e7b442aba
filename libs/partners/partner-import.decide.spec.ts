import { describe, expect, it } from '@jest/globals';
import { ForbiddenCommandError, InvalidCommandError } from '../errors/index.js';
import type { ProcessState } from '../process-runner/index.js';
import { decideImportPartner, type ImportPartner } from './partner-import.decide.js';

const secretariat = { id: 'sec-1', role: 'secretariat' };
const now = new Date('2026-12-07T12:00:00Z');
const empty = { value: 'unregistered', revision: -1 } as ProcessState;
const unece: ImportPartner = {
  partnerId: 'UNECE',
  name: 'United Nations Economic Commission for Europe',
  entityType: 'regional-commission',
  intentReference: 'Listed as a current Partner in ToR Annex II',
  joinedOn: '2016-05-18',
};

describe('decideImportPartner (ToR ¶12, Annex II)', () => {
  it('records a registration that carries the day the membership began', () => {
    expect(decideImportPartner(unece, secretariat, now)(empty)).toEqual([
      {
        type: 'PartnerRegistered',
        data: { partnerId: 'UNECE', name: unece.name, entityType: 'regional-commission', intentReference: unece.intentReference, joinedOn: '2016-05-18' },
      },
    ]);
  });

  it.each(['registered', 'withdrawn'])('decides nothing for an organisation whose stream already holds events (%s)', (value) => {
    expect(decideImportPartner(unece, secretariat, now)({ value, revision: 0 } as ProcessState)).toEqual([]);
  });

  it.each([
    ['2016-05-17', /before the U4SSC was launched on 2016-05-18 \(ToR ¶2\)/],
    ['2026-12-08', /in the future/],
    ['2023-02-30', /not a calendar date/],
    ['31/12/2023', /not a calendar date/],
  ])('refuses joinedOn %s', (joinedOn, message) => {
    const decide = () => decideImportPartner({ ...unece, joinedOn }, secretariat, now)(empty);
    expect(decide).toThrow(InvalidCommandError);
    expect(decide).toThrow(message);
  });

  it('keeps the register rules: only the Secretariat, only the United Nations system (ToR ¶12)', () => {
    expect(() => decideImportPartner(unece, { id: 'p', role: 'partner' }, now)(empty)).toThrow(ForbiddenCommandError);
    expect(() => decideImportPartner({ ...unece, entityType: 'ngo' }, secretariat, now)(empty)).toThrow(/ToR ¶21/);
  });
});
