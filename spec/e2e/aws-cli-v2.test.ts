// The repository, policy and token journey with the aws CLI v2 that Debian packages (`apt-get install awscli`).
import { awsCliDriver } from '../helpers/ecr-client-drivers';
import { repositoryLifecycleScenario } from './scenarios/repository-lifecycle';

describe('aws CLI v2', () => {
  repositoryLifecycleScenario({
    driver: awsCliDriver({ name: 'aws CLI v2', binary: '/usr/bin/aws', serviceErrorExitCode: 254 }),
    expectedVersion: /^aws-cli\/2\./,
  });
});
