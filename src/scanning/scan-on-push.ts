// Scan on push: the push observer the composition root hangs on the image core, which records a scan of each new
// image whose repository scans on push.
import type { PushedImage } from '../images/push-observers';
import type { RepositoryService } from '../images/repository-service';
import { isIndexMediaType } from '../images/media-types';
import { forgetImageScan, recordImageScan, type ImageScanDependencies } from './image-scans';
import { registryScanningConfigurationOf, scanningOf } from './scanning-rules';

/**
 * Scans each newly pushed image whose repository scans on push: by a registry rule (SCAN_ON_PUSH, or
 * CONTINUOUS_SCAN under enhanced scanning) whose filter matches it, or by its own scanOnPush while the registry has
 * no rules, as BatchGetRepositoryScanningConfiguration reports. Image indexes are not scanned. It runs after the
 * push is committed, so it never throws: a scan that cannot be made is not made.
 */
export function createScanOnPushObserver(options: { scans: ImageScanDependencies; repositories: RepositoryService }): (image: PushedImage) => void {
  const { scans, repositories } = options;
  const { documents } = scans;
  return (image) => {
    // A tag moved onto an image already here: nothing new to scan.
    if (!image.isNewImage) return;
    try {
      // A digest pushed again after a delete starts without the scan its earlier copy had.
      forgetImageScan(documents, image.scope, image.repository, image.digest);
      if (isIndexMediaType(image.mediaType)) return;
      const record = repositories.find(image.scope, image.repository);
      if (record === undefined) return;
      if (!scanningOf(registryScanningConfigurationOf(documents, image.scope), record, image.scope).scanOnPush) return;
      recordImageScan(scans, image.scope, image.repository, image.digest);
    } catch {
      // The push has succeeded; DescribeImageScanFindings then answers ScanNotFoundException for the image.
    }
  };
}
