import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsName, IsSafeId, IsText } from '../../../libs/http/text-policy.js';
import { IsInstant } from '../../../libs/http/instant.decorator.js';
import { CHANNELS, type Channel } from '../../../state-machines/ballot/ballot.events.js';
import { CAPACITY_KINDS, REVIEW_DECISIONS, type CapacityKind, type ReviewDecision } from '../../../state-machines/workplan/workplan.events.js';

const oneOf = (name: string, values: readonly string[]) => ({ message: `${name} must be one of: ${values.join(', ')}` });

export class OpenWorkplanDto {
  @ApiProperty({ example: '2027', description: 'The cycle: a year (2027) or a span (2027-2028); the stream is workplan-<cycle>' })
  @Matches(/^\d{4}(?:-\d{4})?$/, { message: 'cycle must be a year such as 2027, or a span such as 2027-2028' })
  cycle: string;

  @ApiPropertyOptional({ example: 'U4SSC workplan 2027' })
  @IsOptional()
  @IsNotEmpty()
  @IsName(300)
  title?: string;

  @ApiProperty({ example: '2026-10-01T00:00:00Z', description: 'Inputs are accepted until this instant (ToR ¶10(a))' })
  @IsInstant()
  inputDeadline: string;
}

export class SubmitInputDto {
  @ApiProperty({ example: 'KPI evaluations in ten more cities' })
  @IsNotEmpty()
  @IsName(300)
  title: string;

  @ApiProperty({ description: 'The input itself; its SHA-256 is recorded' })
  @IsNotEmpty()
  @IsText(100_000)
  text: string;

  @ApiPropertyOptional({ enum: CAPACITY_KINDS, description: 'Default: an office you hold (Leader, IP Leader) per the register, else your Partner' })
  @IsOptional()
  @IsIn(CAPACITY_KINDS as unknown as string[], oneOf('capacity', CAPACITY_KINDS))
  capacity?: CapacityKind;
}

export class ReopenInputsDto {
  @ApiProperty({ example: '2026-10-15T00:00:00Z', description: 'The new input deadline' })
  @IsInstant()
  inputDeadline: string;

  @ApiProperty({ example: 'UNEP asked for one more week' })
  @IsNotEmpty()
  @IsText(1000)
  reason: string;
}

export class LeftOutDto {
  @ApiProperty()
  @IsSafeId('an input id', { max: 64 })
  inputId: string;

  @ApiProperty({ example: 'Outside the U4SSC objectives (¶11)' })
  @IsNotEmpty()
  @IsText(1000)
  reason: string;
}

export class CompileDto {
  @ApiProperty({ description: 'The compiled document; its SHA-256 is recorded as the version’s content hash' })
  @IsNotEmpty()
  @IsText(1_000_000)
  text: string;

  @ApiPropertyOptional({ type: [String], description: 'Inputs taken; default: every input not left out' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @IsSafeId('a list of input ids', { each: true, max: 64 })
  taken?: string[];

  @ApiPropertyOptional({ type: [LeftOutDto], description: 'Inputs left out, each with its reason' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => LeftOutDto)
  leftOut?: LeftOutDto[];
}

export class ReviewDto {
  @ApiProperty({ enum: REVIEW_DECISIONS })
  @IsIn(REVIEW_DECISIONS as unknown as string[], oneOf('decision', REVIEW_DECISIONS))
  decision: ReviewDecision;

  @ApiPropertyOptional({ type: [String], description: 'Required to request changes' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsText(5000, { each: true })
  comments?: string[];
}

export class PresentDto {
  @ApiProperty({ example: 'U4SSC Annual Meeting 2026, Geneva (minutes ref. AM-2026)' })
  @IsNotEmpty()
  @IsName(500)
  meeting: string;
}

export class AgreementBallotDto {
  @ApiPropertyOptional({ enum: CHANNELS, default: 'meeting', description: '`meeting` (¶10(d)); `electronic` needs channelReason (¶13(b))' })
  @IsOptional()
  @IsIn(CHANNELS as unknown as string[], oneOf('channel', CHANNELS))
  channel?: Channel;

  @ApiPropertyOptional({ description: 'Why the Partners decide electronically (required for electronic); recorded' })
  @IsOptional()
  @IsNotEmpty()
  @IsText(1000)
  channelReason?: string;

  @ApiPropertyOptional({ description: 'Link this existing ballot (subject kind workplan, reference workplan-<cycle>) instead of opening one' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9-]{1,64}$/, { message: 'ballotId must be a ballot id' })
  ballotId?: string;

  @ApiPropertyOptional({ example: '2026-11-20T17:00:00Z', description: 'The new ballot’s deadline (required unless ballotId)' })
  @ValidateIf((body: AgreementBallotDto) => body.ballotId === undefined)
  @IsInstant()
  closesAt?: string;

  @ApiPropertyOptional({ description: 'The question put; default names the cycle, the version and its hash' })
  @IsOptional()
  @IsNotEmpty()
  @IsText(2000)
  question?: string;
}

export class WorkplanAtDto {
  @ApiPropertyOptional({ description: 'The cycle as recorded at this instant (RFC 3339 date-time with Z or an offset)', example: '2026-10-01T00:00:00Z' })
  @IsOptional()
  @IsInstant()
  at?: string;
}
