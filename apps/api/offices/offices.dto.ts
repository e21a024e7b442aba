import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsName, IsSafeId, IsText } from '../../../libs/http/text-policy.js';
import { IsInstant } from '../../../libs/http/instant.decorator.js';
import { PARTNER_ID_PATTERN } from '../partners/partners.dto.js';

const BALLOT_ID_PATTERN = /^[A-Za-z0-9-]{1,64}$/;
/** A person's id as tokens carry it (`sub`). */
const IsPersonId = () => IsSafeId('a person id (the `sub` of their token)');

export class NominateDto {
  @ApiProperty({ example: 'p-okafor', description: 'The candidate (their person id)' })
  @IsPersonId()
  nomineeId: string;

  @ApiProperty({ example: 'Dr Ada Okafor' })
  @IsNotEmpty()
  @IsName(200)
  nomineeName: string;

  @ApiPropertyOptional({ example: 'FAO', description: 'The nominating Partner: a representative’s own organisation by default; required when the Secretariat records a Partner’s nomination' })
  @IsOptional()
  @Matches(PARTNER_ID_PATTERN, { message: 'partnerId must be a Partner id such as FAO or UN-Habitat' })
  partnerId?: string;

  @ApiPropertyOptional({ description: 'A statement or the reference of the nomination letter' })
  @IsOptional()
  @IsText(2000)
  statement?: string;
}

/** How an appointment or a renewal names its authority; which fields apply depends on the office (ToR ¶13(a), ¶15, ¶19, Annex I). */
export class AuthorityDto {
  @ApiPropertyOptional({ description: 'Chair, Vice-Chair: the approved Partners Board ballot; IP Leader: the Annual Meeting election (a `meeting` ballot). Its subject must be an appointment with reference `office:<seat>:<person>`' })
  @IsOptional()
  @Matches(BALLOT_ID_PATTERN, { message: 'ballotId must be a ballot id' })
  ballotId?: string;

  @ApiPropertyOptional({ example: 'p-okafor', description: 'Thematic Group Leader: the Chair who appointed (the Secretariat names them; a Chair recording their own appointment may omit it)' })
  @IsOptional()
  @IsPersonId()
  appointedBy?: string;

  @ApiPropertyOptional({ description: 'Thematic Group Leader: how the Secretariat was consulted (required when the Chair records it)' })
  @IsOptional()
  @IsText(1000)
  consultation?: string;
}

export class AppointDto extends AuthorityDto {
  @ApiProperty({ example: 'p-okafor' })
  @IsPersonId()
  holderId: string;

  @ApiProperty({ example: 'Dr Ada Okafor' })
  @IsNotEmpty()
  @IsName(200)
  holderName: string;

  @ApiPropertyOptional({ description: 'Appoint while the seat is held: the current term ends now, replaced' })
  @IsOptional()
  @IsBoolean({ message: 'replace must be true or false' })
  replace?: boolean;
}

export class RenewDto extends AuthorityDto {
  @ApiPropertyOptional({ description: 'IP Leader: why the same person again (ToR Annex I: expected to change at least biennially); recorded and flagged' })
  @IsOptional()
  @IsText(2000)
  justification?: string;
}

export class ResignDto {
  @ApiProperty({ example: 'Letter of resignation of 2027-03-01 to the Secretariat' })
  @IsNotEmpty()
  @IsText(1000)
  reason: string;
}

export class EndDto {
  @ApiProperty({ enum: ['expired'], description: 'A term ends at its end unless renewed (ToR ¶28); the scheduler records it, the Secretariat may do so itself. A resignation or a replacement has its own endpoint' })
  @IsIn(['expired'], { message: 'cause must be expired (a resignation or a replacement has its own endpoint)' })
  cause: 'expired';
}

export class RegisterQueryDto {
  @ApiPropertyOptional({ example: '2027-06-30T00:00:00Z', description: 'The instant to answer for (RFC 3339 date-time with Z or an offset); default now' })
  @IsOptional()
  @IsInstant()
  at?: string;

  @ApiPropertyOptional({
    enum: ['recorded', 'latest'],
    description: '`recorded` (default with `at`): the register as it stood then, from what had been recorded by then; `latest` (default without `at`): what is known now about that instant, imported history included',
  })
  @IsOptional()
  @IsIn(['recorded', 'latest'], { message: 'basis must be recorded or latest' })
  basis?: 'recorded' | 'latest';
}

export class SeatQueryDto {
  @ApiPropertyOptional({ description: 'The seat as recorded up to this instant (RFC 3339 date-time with Z or an offset); default everything' })
  @IsOptional()
  @IsInstant()
  at?: string;
}

export class ExpiriesQueryDto {
  @ApiPropertyOptional({ example: '90d', description: 'The window ahead, in days (`90d`); default 90d' })
  @IsOptional()
  @Matches(/^\d{1,4}d$/, { message: 'within must be a number of days such as 90d' })
  within?: string;
}
