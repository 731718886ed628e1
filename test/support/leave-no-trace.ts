import { afterAll, expect, vi } from 'vitest';

/**
 * Run before every test file that shares its worker with others (vitest.config.ts): at the file's end,
 * what the next file in the same worker would inherit is as the file found it — real timers, the same
 * environment and working folder, no process listener left behind.
 */
// Not 'exit': a library registers one when first loaded (exceljs's temporary files), once per worker.
const EVENTS = ['SIGINT', 'SIGTERM', 'uncaughtException', 'unhandledRejection', 'warning'] as const;

const env = { ...process.env };
const cwd = process.cwd();
const listeners = EVENTS.map((event) => process.listenerCount(event));

afterAll(() => {
  expect(vi.isFakeTimers(), 'fake timers left on').toBe(false);
  expect({ ...process.env }, 'environment changed').toEqual(env);
  expect(process.cwd(), 'working folder changed').toBe(cwd);
  const left = EVENTS.filter((event, i) => process.listenerCount(event) > listeners[i]!);
  expect(left, 'process listeners left').toEqual([]);
});
