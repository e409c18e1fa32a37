// PUT /_emulator/scan-findings/<digest>: the findings every later scan of that image digest reports, in place of the
// simulated ones. An emulator endpoint, never part of the AWS surface; the body is one entry of the
// ECR_EMULATOR_SCAN_FINDINGS file: { "findings": [...ImageScanFinding], "enhancedFindings"?: [...] }.
import express, { Router, type Request, type Response } from 'express';
import { DomainError } from '../images/domain-error';
import type { RegistryDocuments } from '../images/registry-documents';
import { parseSuppliedFindings, putSuppliedFindings } from '../scanning/supplied-findings';

// Findings lists are small; a cap keeps a mistaken upload from filling memory.
const BODY_LIMIT = '4mb';

export function scanFindingsRoutes(options: { documents: RegistryDocuments; durable: () => Promise<void> | undefined }): Router {
  const router = Router();
  router.put('/_emulator/scan-findings/:digest', express.json({ type: () => true, limit: BODY_LIMIT }), async (request: Request, response: Response) => {
    const digest = String(request.params.digest);
    try {
      const findings = parseSuppliedFindings(request.body as unknown);
      putSuppliedFindings(options.documents, digest, findings);
      await options.durable();
      response.json({ digest, findings: findings.findings.length, enhancedFindings: findings.enhancedFindings?.length ?? 0 });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      response.status(400).json({ message: error.message });
    }
  });
  return router;
}
