// GET /_emulator/iam/decisions and GET /_emulator/iam/suggested-policy: what the policies decided lately, and the
// identity policy that would have allowed everything a principal asked for; also under /_emulator/api/ for the
// console. Emulator endpoints, never AWS surface.
import { Router, type Request, type Response } from 'express';
import { DECISION_RESULTS, MAX_DECISION_LIMIT, type DecisionFilter, type DecisionLog, type DecisionRecord, type DecisionResult } from '../auth/decision-log';
import { suggestedPolicy } from '../auth/suggested-policy';

/** A query problem, answered 400 with its message. */
class QueryError extends Error {}

/** One value of a query parameter, or undefined; `?a=1&a=2` is a mistake, not a list. */
function single(request: Request, name: string): string | undefined {
  const value: unknown = request.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new QueryError(`${name} must be given once`);
  return value;
}

function filterOf(request: Request): DecisionFilter {
  const filter: DecisionFilter = {};
  const principal = single(request, 'principal');
  const action = single(request, 'action');
  const decision = single(request, 'decision');
  const limit = single(request, 'limit');
  if (principal !== undefined) filter.principal = principal;
  if (action !== undefined) filter.action = action;
  if (decision !== undefined) {
    if (!(DECISION_RESULTS as readonly string[]).includes(decision)) throw new QueryError(`decision must be one of ${DECISION_RESULTS.join(', ')}, got '${decision}'`);
    filter.result = decision as DecisionResult;
  }
  if (limit !== undefined) {
    if (!/^\d{1,4}$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_DECISION_LIMIT) {
      throw new QueryError(`limit must be an integer from 1 to ${MAX_DECISION_LIMIT}, got '${limit}'`);
    }
    filter.limit = Number(limit);
  }
  return filter;
}

/** The wire shape: `time` and `decision` for the record's `at` and `result`; statements without their kind. */
function decisionJson(entry: DecisionRecord) {
  return {
    time: entry.at.toISOString(),
    principal: entry.principal,
    action: entry.action,
    resource: entry.resource,
    decision: entry.result,
    reason: entry.reason,
    ...(entry.message !== undefined ? { message: entry.message } : {}),
    statements: entry.statements.map(({ policy, statement, effect }) => ({ policy, statement, effect })),
  };
}

/** Runs a handler, answering a QueryError with 400; anything else goes on to the app's error handler. */
function answering(handler: (request: Request) => unknown) {
  return (request: Request, response: Response): void => {
    try {
      response.json(handler(request));
    } catch (error) {
      if (!(error instanceof QueryError)) throw error;
      response.status(400).json({ message: error.message });
    }
  };
}

/** `alsoUnder`: a second prefix the same routes answer at (the console API's, `/_emulator/api`). */
export function iamAdminRoutes(options: { decisions: DecisionLog; alsoUnder?: string }): Router {
  const paths = (name: string) => [`/_emulator/iam/${name}`, ...(options.alsoUnder !== undefined ? [`${options.alsoUnder}/${name}`] : [])];
  const router = Router();
  // Newest first: what just failed is what a developer looks for.
  router.get(
    paths('decisions'),
    answering((request) => ({ decisions: options.decisions.latest(filterOf(request)).map(decisionJson) })),
  );
  // Every record of the principal still in the ring, denied ones included: the policy that would let it all through.
  router.get(
    paths('suggested-policy'),
    answering((request) => {
      const principal = single(request, 'principal');
      if (principal === undefined || principal === '') throw new QueryError('principal is required: the ARN of the caller, e.g. arn:aws:iam::111111111111:user/ci');
      return suggestedPolicy(options.decisions.ofPrincipal(principal));
    }),
  );
  return router;
}
