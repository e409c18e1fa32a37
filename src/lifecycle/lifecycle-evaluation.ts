// Lifecycle policy evaluation: which images of one repository a parsed policy acts on at a given time, and with
// which rule. Pure: previews and a lifecycle executor call it with the images; it never reads or changes a store.
import type { LifecycleAction, LifecycleCount, LifecyclePolicy, LifecycleRule, LifecycleStorageClass } from './lifecycle-policy';
import { selectsTags } from './lifecycle-policy';

/** What evaluation reads of an image; the store's ImageDetails has these members. */
export interface LifecycleImage {
  digest: string;
  tags: readonly string[];
  pushedAt: Date;
  lastPulledAt?: Date;
  storageClass: 'STANDARD' | 'ARCHIVE';
  /** When the image last moved to the archive storage class. */
  lastArchivedAt?: Date;
}

/** One image a rule acts on. */
export interface LifecycleDecision {
  image: LifecycleImage;
  rule: LifecycleRule;
  action: LifecycleAction;
}

const DAY_MS = 24 * 60 * 60 * 1000;

const STORAGE_CLASS_OF: Record<LifecycleImage['storageClass'], LifecycleStorageClass> = { STANDARD: 'standard', ARCHIVE: 'archive' };

/** Youngest first, the order imageCountMoreThan keeps images in; the digest breaks ties so results are stable. */
function youngestFirst(left: LifecycleImage, right: LifecycleImage): number {
  return right.pushedAt.getTime() - left.pushedAt.getTime() || (left.digest < right.digest ? -1 : left.digest > right.digest ? 1 : 0);
}

/**
 * The time a day count is measured from. An image never pulled counts from its push (it has been unused since);
 * an archived image without a recorded archive time counts from its push too.
 */
function referenceTime(image: LifecycleImage, type: Exclude<LifecycleCount['type'], 'imageCountMoreThan'>): Date {
  switch (type) {
    case 'sinceImagePushed':
      return image.pushedAt;
    case 'sinceImagePulled':
      return image.lastPulledAt ?? image.pushedAt;
    case 'sinceImageTransitioned':
      return image.lastArchivedAt ?? image.pushedAt;
    default: {
      const unreachable: never = type;
      return unreachable;
    }
  }
}

/** Whether a rule's tag and storage-class selection takes the image, before any count. */
export function ruleSelects(rule: LifecycleRule, image: LifecycleImage): boolean {
  return STORAGE_CLASS_OF[image.storageClass] === rule.storageClass && selectsTags(rule.tags, image.tags);
}

/**
 * The images a rule's count marks among those it selects. imageCountMoreThan keeps the N most recently pushed
 * and marks the rest; a day count marks the images whose reference time is more than N days before `now`.
 */
function marked(rule: LifecycleRule, selected: LifecycleImage[], now: Date): LifecycleImage[] {
  const { count } = rule;
  if (count.type === 'imageCountMoreThan') return [...selected].sort(youngestFirst).slice(count.images);
  return selected.filter((image) => now.getTime() - referenceTime(image, count.type).getTime() > count.days * DAY_MS);
}

/**
 * Applies the policy's rules to `images` as ECR's lifecycle policy evaluator does (user guide, "Automate the
 * cleanup of images by using lifecycle policies", lifecycle policy evaluation rules):
 * - rules apply in rulePriority order, lowest first, and an image is acted on by at most one rule;
 * - an image that a higher-priority rule selects (by tags and storage class) is never acted on by a lower-priority
 *   rule, whether or not the higher-priority rule's count marked it: a rule that keeps 9999 images protects them;
 * - images already marked still count for a later rule's imageCountMoreThan, as if they had not been expired.
 * Returns decisions in rule order, oldest image first within a rule.
 */
export function evaluateLifecyclePolicy(policy: LifecyclePolicy, images: readonly LifecycleImage[], now: Date): LifecycleDecision[] {
  const claimed = new Set<string>();
  const decisions: LifecycleDecision[] = [];
  for (const rule of policy.rules) {
    const selected = images.filter((image) => ruleSelects(rule, image));
    const acted = marked(rule, selected, now)
      .filter((image) => !claimed.has(image.digest))
      .sort((left, right) => youngestFirst(right, left));
    for (const image of acted) decisions.push({ image, rule, action: rule.action });
    for (const image of selected) claimed.add(image.digest);
  }
  return decisions;
}
