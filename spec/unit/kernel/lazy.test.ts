// lazy(): the value is computed on the first call, never at creation, and once only.
import { lazy } from '../../../src/kernel/lazy';

test('computes nothing until the first call', () => {
  const load = jest.fn(() => 'value');
  lazy(load);
  expect(load).not.toHaveBeenCalled();
});

test('computes the value once and returns it on every call', () => {
  const load = jest.fn(() => ({ loaded: true }));
  const value = lazy(load);
  expect(value()).toBe(value());
  expect(load).toHaveBeenCalledTimes(1);
});

test('keeps an undefined value without computing it again', () => {
  const load = jest.fn(() => undefined);
  const value = lazy(load);
  value();
  value();
  expect(load).toHaveBeenCalledTimes(1);
});

test('computes again after a failed first call, since nothing was kept', () => {
  const load = jest.fn().mockImplementationOnce(() => {
    throw new Error('not yet');
  }).mockImplementation(() => 'value');
  const value = lazy(load);
  expect(() => value()).toThrow('not yet');
  expect(value()).toBe('value');
});
