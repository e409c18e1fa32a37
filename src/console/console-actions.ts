// The few things the console changes: delete an image or a tag, start a scan, run a repository's lifecycle
// policy. Each is the core call the matching ECR operation makes, after the same access question.
import type { AccessPolicy } from '../auth/access';
import type { ImageService } from '../images/image-service';
import type { RepositoryService } from '../images/repository-service';
import type { Clock } from '../kernel/clock';
import type { Scope } from '../kernel/scope';
import { runLifecyclePolicy, type LifecycleRunResult } from '../lifecycle/lifecycle-runner';
import { startImageScan, type ImageScanDependencies } from '../scanning/image-scans';
import { authorize, type ConsoleCaller } from './console-caller';
import { existingImage } from './image-views';

export interface ConsoleActionDependencies {
  repositories: RepositoryService;
  images: ImageService;
  scans: ImageScanDependencies;
  access: AccessPolicy;
  clock: Clock;
}

/** BatchDeleteImage of one digest: the image and every tag on it. */
export async function deleteImage(dependencies: ConsoleActionDependencies, caller: ConsoleCaller, scope: Scope, repository: string, digest: string): Promise<{ deleted: string }> {
  authorize(dependencies.access, caller, scope, 'ecr:BatchDeleteImage', repository);
  await dependencies.images.deleteImage(scope, repository, digest);
  return { deleted: digest };
}

/** BatchDeleteImage of one tag: the image stays. */
export async function deleteTag(dependencies: ConsoleActionDependencies, caller: ConsoleCaller, scope: Scope, repository: string, tag: string): Promise<{ deleted: string }> {
  authorize(dependencies.access, caller, scope, 'ecr:BatchDeleteImage', repository);
  await dependencies.images.deleteTag(scope, repository, tag);
  return { deleted: tag };
}

/** StartImageScan: the scan completes at once, with its findings. */
export function startScan(dependencies: ConsoleActionDependencies, caller: ConsoleCaller, scope: Scope, repository: string, digest: string) {
  authorize(dependencies.access, caller, scope, 'ecr:StartImageScan', repository);
  const scan = startImageScan(dependencies.scans, scope, repository, existingImage(dependencies.images, scope, repository, digest));
  return { digest: scan.digest, completedAt: scan.completedAt.toISOString(), severityCounts: scan.findingSeverityCounts };
}

/**
 * What ECR does on its own within a day, now, for one repository (as POST /_emulator/lifecycle-policies/run does
 * for all). It deletes images, so it asks for ecr:BatchDeleteImage.
 */
export function runLifecycle(dependencies: ConsoleActionDependencies, caller: ConsoleCaller, scope: Scope, repository: string): Promise<LifecycleRunResult> {
  authorize(dependencies.access, caller, scope, 'ecr:BatchDeleteImage', repository);
  return runLifecyclePolicy(dependencies, scope, repository);
}
