import { authorize, assertSameOrigin, type Principal } from "../auth/principal";
import type { Role } from "../auth/roles";
import { errorResponse } from "./errors";

type RouteContext<P> = { params: Promise<P> };

type Run<P, Auth> = (input: { request: Request; principal: Auth; params: P }) => Promise<unknown>;

function wrap<P, Auth>(resolve: (request: Request) => Promise<Auth>, run: Run<P, Auth>) {
  return async (request: Request, context: RouteContext<P>): Promise<Response> => {
    try {
      const principal = await resolve(request);
      const result = await run({ request, principal, params: await context.params });
      return result instanceof Response ? result : Response.json(result);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/**
 * A JSON API route handler: authorizes the caller for `minimum` (401/403 otherwise, with a
 * CSRF check for cookie sessions), runs `run`, and answers its result as JSON or any error
 * in the API's one error shape.
 */
export function apiRoute<P = Record<string, never>>(minimum: Role, run: Run<P, Principal>) {
  return wrap<P, Principal>((request) => authorize(request, minimum), run);
}

/** A route open to anyone (first-run setup, invitation links); writes must come from our pages. */
export function publicRoute<P = Record<string, never>>(run: Run<P, null>) {
  return wrap<P, null>(async (request) => {
    if (request.method !== "GET" && request.method !== "HEAD") assertSameOrigin(request.headers);
    return null;
  }, run);
}

export const created = (body: unknown) => Response.json(body, { status: 201 });
export const noContent = () => new Response(null, { status: 204 });
