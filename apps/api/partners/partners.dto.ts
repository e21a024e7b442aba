import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsName, IsText } from '../../../libs/http/text-policy.js';
import { IsInstant, IsDay } from '../../../libs/http/instant.decorator.js';
import { ENTITY_TYPES, type EntityType } from '../../../state-machines/partner/partner.events.js';

/** Short ids as the ToR writes them: ITU, UNECE, UN-Habitat, UNU-EGOV. */
export const PARTNER_ID_PATTERN = /^[A-Za-z][A-Za-z0-9-]{1,31}$/;

export class RegisterPartnerDto {
  @ApiProperty({ example: 'FAO', description: 'Short id, as in ToR Annex II (letters, digits, hyphens; 2-32)' })
  @Matches(PARTNER_ID_PATTERN, { message: 'partnerId must be 2-32 letters, digits or hyphens, starting with a letter (e.g. UN-Habitat)' })
  partnerId: string;

  @ApiProperty({ example: 'Food and Agriculture Organization of the United Nations' })
  @IsNotEmpty()
  @IsName(300)
  name: string;

  @ApiProperty({ enum: ENTITY_TYPES, description: 'Only UN-system kinds are eligible (ToR ¶12)' })
  @IsIn(ENTITY_TYPES as unknown as string[], { message: `entityType must be one of: ${ENTITY_TYPES.join(', ')}` })
  entityType: EntityType;

  @ApiProperty({ example: 'Letter of 2026-03-02 to the Secretariat', description: 'Where the intent to join is on record (ToR ¶12, ¶24)' })
  @IsNotEmpty()
  @IsName(500)
  intentReference: string;

  @ApiPropertyOptional({ example: '2026-03-02', description: 'When the intent was expressed (YYYY-MM-DD)' })
  @IsOptional()
  @IsDay()
  intentExpressedOn?: string;
}

export class WithdrawPartnerDto {
  @ApiProperty({ example: 'The organisation informed the Secretariat of its withdrawal by letter of 2026-05-01' })
  @IsNotEmpty()
  @IsText(1000)
  reason: string;
}

export class ListPartnersQueryDto {
  @ApiPropertyOptional({ description: 'Who were Partners at this instant (RFC 3339 date-time with Z or an offset)', example: '2026-06-30T00:00:00Z' })
  @IsOptional()
  @IsInstant()
  at?: string;

  @ApiPropertyOptional({ description: 'Include withdrawn organisations (without `at`)' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'includeWithdrawn must be true or false' })
  includeWithdrawn?: boolean;
}
