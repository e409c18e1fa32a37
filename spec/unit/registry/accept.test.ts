// Accept negotiation on a manifest GET by tag: which Accept headers take a stored manifest's media type.
import { MediaType } from '../../../src/images/media-types';
import { isAccepted } from '../../../src/registry/handlers/manifests';

const DOCKER = MediaType.dockerManifest;
const OCI = MediaType.ociManifest;
const OCI_INDEX = MediaType.ociIndex;

describe('isAccepted', () => {
  test('accepts any type when there is no Accept header', () => {
    expect(isAccepted(undefined, OCI)).toBe(true);
  });

  test.each([
    ['an empty header', ''],
    ['a header of separators and spaces only', ' , ,'],
  ])('accepts any type for %s', (_case, accept) => {
    expect(isAccepted(accept, OCI)).toBe(true);
  });

  test.each([
    ['*/*', '*/*'],
    ['application/*', 'application/*'],
    ['*/* among manifest types that lack this one', `${DOCKER}, */*`],
    ['application/* with a quality', `${DOCKER}, application/*;q=0.1`],
  ])('accepts any type for the wildcard %s', (_case, accept) => {
    expect(isAccepted(accept, OCI)).toBe(true);
  });

  test.each([
    ['only the type', OCI],
    ['the type in a list', `${DOCKER}, ${OCI}, ${OCI_INDEX}`],
    ['the type with a quality parameter', `${DOCKER};q=0.5, ${OCI};q=0.9`],
    ['the type with spaces around its parameter', `${OCI} ; q=0.9`],
    ['the type in another case', OCI.toUpperCase()],
    ['the type without spaces after commas', `${DOCKER},${OCI}`],
  ])('accepts a header naming %s', (_case, accept) => {
    expect(isAccepted(accept, OCI)).toBe(true);
  });

  test.each([
    ['one other manifest type', DOCKER],
    ['a list of other manifest types', `${DOCKER}, ${OCI_INDEX}, ${MediaType.dockerManifestList}`],
    ['another manifest type with parameters', `${DOCKER};q=1.0`],
    ['another manifest type among non-manifest types', `application/json, ${DOCKER}`],
  ])('refuses a header naming %s but not the type', (_case, accept) => {
    expect(isAccepted(accept, OCI)).toBe(false);
  });

  test.each([
    ['application/json', 'application/json'],
    ['text/html with a quality', 'text/html;q=0.9, application/xhtml+xml'],
    ['a Docker schema 1 type', 'application/vnd.docker.distribution.manifest.v1+prettyjws'],
  ])('accepts any type for a header naming no manifest type at all (%s)', (_case, accept) => {
    expect(isAccepted(accept, OCI)).toBe(true);
  });
});
