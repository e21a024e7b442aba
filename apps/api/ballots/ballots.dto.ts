import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  Matches,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsInstant } from '../../../libs/http/instant.decorator.js';
import { CHANNELS, CHOICES, SUBJECT_KINDS, type Channel, type Choice, type SubjectKind } from '../../../state-machines/ballot/ballot.events.js';
import { THRESHOLDS, type Threshold } from '../../../state-machines/ballot/ballot.rules.js';
import { IsName, IsSafeId, IsText } from '../../../libs/http/text-policy.js';
import { PARTNER_ID_PATTERN } from '../partners/partners.dto.js';

const oneOf = (name: string, values: readonly string[]) => ({ message: `${name} must be one of: ${values.join(', ')}` });

export class BallotSubjectDto {
  @ApiProperty({ enum: SUBJECT_KINDS, description: 'What is decided; chooses the default rule set' })
  @IsIn(SUBJECT_KINDS as unknown as string[], oneOf('kind', SUBJECT_KINDS))
  kind: SubjectKind;

  @ApiPropertyOptional({ example: 'workplan-2026', description: 'The subject in its own process (absent for free text)' })
  @IsOptional()
  @IsSafeId('the subject’s reference in its own process, such as workplan-2026 or office:chair:p-okafor', { max: 200 })
  reference?: string;

  @ApiProperty({ example: 'U4SSC workplan 2026' })
  @IsNotEmpty()
  @IsName(300)
  title: string;
}

export class FractionDto {
  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(0)
  numerator: number;

  @ApiProperty({ example: 2 })
  @IsInt()
  @Min(1)
  denominator: number;
}

export class RuleSetDto {
  @ApiProperty({ type: FractionDto, description: 'Share of the electorate that must take part' })
  @IsObject()
  @ValidateNested()
  @Type(() => FractionDto)
  quorum: FractionDto;

  @ApiProperty({ enum: THRESHOLDS })
  @IsIn(THRESHOLDS as unknown as string[], oneOf('threshold', THRESHOLDS))
  threshold: Threshold;

  @ApiProperty()
  @IsBoolean()
  abstentionsCountTowardQuorum: boolean;

  @ApiProperty()
  @IsBoolean()
  allowVoteChange: boolean;

  @ApiProperty()
  @IsBoolean()
  closeEarlyWhenAllVoted: boolean;

  @ApiProperty({ description: 'Partners see the running counts while the ballot is open' })
  @IsBoolean()
  revealTallyWhileOpen: boolean;
}

export class OpenBallotDto {
  @ApiProperty({ type: BallotSubjectDto })
  @IsObject()
  @ValidateNested()
  @Type(() => BallotSubjectDto)
  subject: BallotSubjectDto;

  @ApiProperty({ example: 'Do the Partners agree to the U4SSC workplan 2026 as compiled by the Secretariat?' })
  @IsNotEmpty()
  @IsText(2000)
  question: string;

  @ApiPropertyOptional({ enum: CHANNELS, default: 'electronic', description: '`meeting`: a vote taken at an Annual Meeting' })
  @IsOptional()
  @IsIn(CHANNELS as unknown as string[], oneOf('channel', CHANNELS))
  channel?: Channel;

  @ApiProperty({ example: '2026-07-01T12:00:00Z', description: 'The deadline (RFC 3339 date-time with Z or an offset; within the configured bounds after now)' })
  @IsInstant()
  closesAt: string;

  @ApiPropertyOptional({ type: RuleSetDto, description: 'Other rules than the rule table’s default for the subject kind' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => RuleSetDto)
  rules?: RuleSetDto;

  @ApiPropertyOptional({ description: 'Why other rules were chosen (required with `rules`); recorded' })
  @ValidateIf((body: OpenBallotDto) => body.rules !== undefined || body.rulesReason !== undefined)
  @IsNotEmpty({ message: 'rulesReason must say why other rules than the default were chosen' })
  @IsText(1000, { message: 'rulesReason must say why other rules than the default were chosen' })
  rulesReason?: string;
}

export class CastVoteDto {
  @ApiProperty({ enum: CHOICES })
  @IsIn(CHOICES as unknown as string[], oneOf('choice', CHOICES))
  choice: Choice;

  @ApiPropertyOptional({ example: 'FAO', description: 'The organisation voting; default and only allowed value: the token’s `org`' })
  @IsOptional()
  @Matches(PARTNER_ID_PATTERN, { message: 'partnerId must be a Partner id such as FAO or UN-Habitat' })
  partnerId?: string;
}

export class ReasonDto {
  @ApiProperty({ example: 'The subject was settled at the Annual Meeting' })
  @IsNotEmpty()
  @IsText(1000)
  reason: string;
}

export const BALLOT_STATUSES = ['draft', 'open', 'closed', 'approved', 'rejected', 'failedQuorum', 'withdrawn'] as const;

export class ListBallotsQueryDto {
  @ApiPropertyOptional({ enum: BALLOT_STATUSES })
  @IsOptional()
  @IsIn(BALLOT_STATUSES as unknown as string[], oneOf('status', BALLOT_STATUSES))
  status?: (typeof BALLOT_STATUSES)[number];
}
