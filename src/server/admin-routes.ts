// The emulator's own endpoints POST /_emulator/reset and POST /_emulator/lifecycle-policies/run (health is
// health-route.ts, served before express loads). Never part of the AWS surface.
import { Router } from 'express';
import type { LifecycleRunResult } from '../lifecycle/lifecycle-runner';

export interface AdminOptions {
  reset: () => Promise<void>;
  runLifecyclePolicies: () => Promise<LifecycleRunResult[]>;
  /** The store's commit barrier: the run's answer waits until what it expired is deleted on the disk. */
  durable: () => Promise<void> | undefined;
}

export function adminRoutes(options: AdminOptions): Router {
  const router = Router();
  router.post('/_emulator/reset', async (_request, response) => {
    await options.reset();
    response.json({ status: 'reset' });
  });
  // What ECR does by itself within a day, now: tests push, run, and check what expired.
  router.post('/_emulator/lifecycle-policies/run', async (_request, response) => {
    const repositories = await options.runLifecyclePolicies();
    await options.durable();
    response.json({ repositories });
  });
  return router;
}
