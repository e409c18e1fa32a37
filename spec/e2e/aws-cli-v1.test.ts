// The repository, policy and token journey with the aws CLI v1 (pip/pyenv, `aws` on PATH).
import { awsCliDriver } from '../helpers/ecr-client-drivers';
import { repositoryLifecycleScenario } from './scenarios/repository-lifecycle';

describe('aws CLI v1', () => {
  repositoryLifecycleScenario({
    driver: awsCliDriver({ name: 'aws CLI v1', binary: 'aws', serviceErrorExitCode: 255 }),
    expectedVersion: /^aws-cli\/1\./,
  });
});
