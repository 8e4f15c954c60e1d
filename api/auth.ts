import type { RequestHandler } from 'express';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { z } from 'zod';
import type { Actor } from '../domain/procedure';
import { ROLES, type Role } from '../domain/stages';
import { ApiError } from './errors';

// Staff requests carry a signed bearer token (HS256) naming the person. Only HS256 is accepted;
// tokens expire. What the person may do is not in the token: it is resolved from the staff
// directory (the offices they hold now) on every request, so a handover takes effect at once.
// The public needs no token to comment.

const ISSUER = 'dueprocess';
const AUDIENCE = 'dueprocess-api';

const claimsSchema = z.object({
  sub: z.string().min(1).max(100),
  name: z.string().min(1).max(200),
});

/** `roles` and `organ` are informative only (shown by the token command); the directory decides. */
export type TokenClaims = z.infer<typeof claimsSchema> & { roles?: Role[]; organ?: string };

export type ActorResolver = (userId: string) => Promise<Actor | null>;

export interface Auth {
  key: AuthKey;
  resolve: ActorResolver;
}

export interface AuthKey {
  secret: Uint8Array;
}

export function authKey(secret: string): AuthKey {
  if (secret.length < 32) throw new Error('the token signing secret must have at least 32 characters');
  return { secret: new TextEncoder().encode(secret) };
}

export async function issueToken(key: AuthKey, claims: TokenClaims, ttl = '8h'): Promise<string> {
  return new SignJWT({
    name: claims.name,
    ...(claims.roles ? { roles: claims.roles } : {}),
    ...(claims.organ ? { organ: claims.organ } : {}),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(ttl)
    .sign(key.secret);
}

export async function verifyToken(key: AuthKey, token: string): Promise<string> {
  try {
    const { payload } = await jwtVerify(token, key.secret, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'sub'],
    });
    return claimsSchema.parse(payload).sub;
  } catch (e) {
    const expired = e instanceof joseErrors.JWTExpired;
    throw new ApiError(
      401,
      expired ? 'TOKEN_EXPIRED' : 'UNAUTHENTICATED',
      expired ? 'the token has expired' : 'a valid bearer token is required',
    );
  }
}

declare module 'express-serve-static-core' {
  interface Request {
    actor?: Actor;
  }
}

/** Authenticates the request and, when roles are given, requires one of them (403 names them). */
export function requireStaff(auth: Auth, roles?: readonly Role[]): RequestHandler {
  return async (req, _res, next) => {
    try {
      const header = req.headers.authorization ?? '';
      const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(header);
      if (!match) throw new ApiError(401, 'UNAUTHENTICATED', 'a bearer token is required (Authorization: Bearer …)');
      const actor = await auth.resolve(await verifyToken(auth.key, match[1]));
      if (!actor) throw new ApiError(401, 'UNAUTHENTICATED', 'the token names no active person in the staff directory');
      req.actor = actor;
      if (roles && !roles.some((r) => req.actor!.roles.includes(r))) {
        throw new ApiError(
          403,
          'ROLE_REQUIRED',
          `this requires the role ${roles.join(' or ')}`,
          { requiredRoles: roles, actorRoles: req.actor.roles },
          'DOMAIN §6',
        );
      }
      next();
    } catch (e) {
      next(e);
    }
  };
}

/** Every staff role that reads decisions. Market entities use their own endpoints (commitments). */
export const STAFF_READERS: Role[] = ROLES.filter((r) => r !== 'market-entity');
