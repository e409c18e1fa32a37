// The repository, policy and token journey with boto3, one fixtures/clients/boto3-call.py process per call.
import { boto3Driver } from '../helpers/ecr-client-drivers';
import { repositoryLifecycleScenario } from './scenarios/repository-lifecycle';

describe('boto3', () => {
  repositoryLifecycleScenario({
    driver: boto3Driver(),
    expectedVersion: /^boto3 1\.\d+\.\d+ botocore 1\.\d+\.\d+$/,
  });
});
