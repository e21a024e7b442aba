import { issueLocalToken, isRole, ROLES, type Role } from '../../../libs/auth/index.js';
import { loadConfig, resolveTokenSecret } from '../../../libs/config/index.js';
import { parse } from '../parse.js';
import { UsageError } from '../usage-error.js';

/** Prints a local HS256 token the API accepts (same secret: same configuration), as the last line. */
export async function tokenCommand(args: string[]): Promise<number> {
  const { values } = parse(args, {
    sub: { type: 'string' },
    role: { type: 'string', multiple: true },
    org: { type: 'string' },
    name: { type: 'string' },
    expires: { type: 'string', default: '12h' },
  });
  if (!values.sub) throw new UsageError('--sub ID is required (the person the token names)');
  const roles = values.role ?? [];
  if (roles.length === 0) throw new UsageError(`--role is required: one of ${ROLES.join(', ')}`);
  const unknown = roles.filter((role) => !isRole(role));
  if (unknown.length) throw new UsageError(`unknown role ${unknown.join(', ')}: use ${ROLES.join(', ')}`);
  if (roles.includes('partner') && !values.org) {
    throw new UsageError('--org PARTNER is required with --role partner (the Partner the representative speaks for)');
  }
  if (!/^\d+[smhd]$/.test(values.expires!)) throw new UsageError('--expires takes a number and a unit: 30m, 12h, 7d');
  const config = loadConfig();
  if (config.jwksUrl) {
    throw new UsageError('U4SSC_JWKS_URL is set: the API accepts only the identity provider’s tokens, not local ones');
  }
  const token = await issueLocalToken(
    resolveTokenSecret(config),
    { sub: values.sub, roles: roles as Role[], org: values.org, name: values.name },
    { expiresIn: values.expires },
  );
  console.error(`token for ${values.sub} (${roles.join(', ')}${values.org ? `, ${values.org}` : ''}), valid ${values.expires}:`);
  console.log(token);
  return 0;
}
