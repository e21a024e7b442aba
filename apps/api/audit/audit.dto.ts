import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { IsSafeId } from '../../../libs/http/text-policy.js';
import { IsInstant } from '../../../libs/http/instant.decorator.js';

const ANCHOR = /^(u4ssc-anchor:)?\d{1,16}:[0-9a-fA-F]{16,64}$/;
const TRUST_KEY = /^([0-9a-fA-F]{64}|ed25519:[0-9a-fA-F]{16})$/;

export class AsOfQueryDto {
  @ApiPropertyOptional({ description: 'The state as it stood at this instant (RFC 3339 date-time with Z or an offset)', example: '2026-06-30T00:00:00Z' })
  @IsOptional()
  @IsInstant()
  at?: string;

  @ApiPropertyOptional({ description: 'The state once the log had reached this global position', example: '42' })
  @IsOptional()
  @Matches(/^\d{1,16}$/, { message: 'position must be a whole number (a global log position)' })
  position?: string;
}

export class VerifyQueryDto {
  @ApiPropertyOptional({
    description: 'Published anchors the log must still contain (repeat the parameter for several)',
    example: 'u4ssc-anchor:42:3f1c0a9e5b7d2c4e8f6a1b3d5c7e9f0a',
    type: [String],
  })
  @IsOptional()
  @Transform(({ value }) => (value === undefined ? undefined : [value].flat()))
  @IsString({ each: true })
  @Matches(ANCHOR, { each: true, message: 'anchor must read u4ssc-anchor:<position>:<16 to 64 hex digits>' })
  anchor?: string[];

  @ApiPropertyOptional({
    description:
      "Signing keys to trust whatever the log says, by fingerprint (64 hex) or key id (ed25519:<16 hex>): a key adopted after a lost one is trusted only when pinned (repeat for several). The engine's own key is always pinned.",
    type: [String],
  })
  @IsOptional()
  @Transform(({ value }) => (value === undefined ? undefined : [value].flat()))
  @IsString({ each: true })
  @Matches(TRUST_KEY, { each: true, message: 'trustKey must be a key fingerprint (64 hex digits) or a key id (ed25519:<16 hex digits>)' })
  trustKey?: string[];

  @ApiPropertyOptional({
    description: 'true: check the whole log, not only the events after the last verified checkpoint (docs/integrity.md)',
    enum: ['true', 'false'],
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'full must be true or false' })
  full?: string;
}

export class ExportQueryDto {
  @ApiPropertyOptional({ description: 'Export this stream only', example: 'partner-FAO' })
  @IsOptional()
  @IsString()
  @IsSafeId('a stream name such as partner-FAO', { max: 200 })
  stream?: string;

  @ApiPropertyOptional({ description: 'Events that occurred at or after this instant (RFC 3339 date-time with Z or an offset)' })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ description: 'Events that occurred at or before this instant (RFC 3339 date-time with Z or an offset)' })
  @IsOptional()
  @IsInstant()
  to?: string;
}
