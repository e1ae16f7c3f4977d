/** Who is making a request, as established by the authentication middleware. */
import type { Response } from 'express';
import type { Types } from 'mongoose';
import type { Actor } from '../audit/log';
import type { Role } from '../store/people';

export interface Principal {
  userId: Types.ObjectId;
  username: string;
  roles: Role[];
  via: 'session' | 'apikey';
  /** Session requests only: the token unsafe requests must echo in X-CSRF-Token. */
  csrfToken?: string;
}

export function principalOf(res: Response): Principal | undefined {
  return res.locals.principal as Principal | undefined;
}

/** The principal of a route that the access table guarantees is authenticated. */
export function requirePrincipal(res: Response): Principal {
  const principal = principalOf(res);
  if (!principal) throw new Error('route reached without a principal: missing access rule?');
  return principal;
}

/** For the audit trail: the user and the role the access rule admitted them in. */
export function actorOf(res: Response): Actor {
  const principal = principalOf(res);
  if (!principal) return { id: 'anonymous', role: 'anonymous' };
  return { id: String(principal.userId), role: (res.locals.actingRole as string | undefined) ?? principal.roles.join('+') };
}
