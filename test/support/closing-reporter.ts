import { appendFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Reporter, SerializedError, TestCase, TestModule } from 'vitest/node';

/**
 * The last lines of a CI pass: every test that failed (with the first line of why), every test that
 * passed only when tried again (with the first lines of what failed it before), every error raised
 * outside a test, then one closing line. CI shows the end of its output, so whatever made a pass fail
 * is there, not thousands of lines above; with `TEST_SUMMARY_FILE` set, the same lines are appended to
 * that file too (CI prints each pass's at its end).
 */
export default class ClosingReporter implements Reporter {
  private readonly failed: string[] = [];
  private readonly flaky: string[] = [];
  private passed = 0;

  onTestCaseResult(test: TestCase): void {
    const result = test.result();
    const name = `${where(test.module)} › ${test.fullName}`;
    if (result.state === 'failed') {
      this.failed.push(`${name}: ${firstLine(result.errors[0]?.message)}`);
      return;
    }
    if (result.state !== 'passed') return;
    this.passed += 1;
    const diagnostic = test.diagnostic();
    if (!diagnostic?.flaky) return;
    // What failed the tries before: an intermittent failure is told apart only by what it said.
    const before = result.errors?.[0]?.message;
    this.flaky.push(
      `${name} (passed on try ${diagnostic.retryCount + 1})` +
        (before ? `; it failed first with:\n${indented(before)}` : ''),
    );
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<SerializedError>): void {
    // A file that failed to load, or a hook that failed, fails no test case: its errors are the module's or a suite's.
    const outside: string[] = [];
    for (const module of modules) {
      const errors = [...module.errors(), ...[...module.children.allSuites()].flatMap((s) => s.errors())];
      for (const error of errors) outside.push(`${where(module)}: ${firstLine(error.message)}`);
    }
    for (const error of unhandled) outside.push(`unhandled: ${firstLine(error.message)}`);
    const lines: string[] = [];
    const section = (title: string, items: string[]) => {
      if (items.length > 0) lines.push(`${title} (${items.length}):`, ...items.map((item) => `  ${item}`));
    };
    section('Failed', this.failed);
    section('Errors outside a test', outside);
    section('Passed only when tried again', this.flaky);
    lines.push(
      `Tests: ${this.passed} passed, ${this.failed.length} failed, ${this.flaky.length} passed on a second try, ` +
        `${outside.length} errors outside a test`,
    );
    const text = `${lines.join('\n')}\n`;
    process.stdout.write(text);
    const file = process.env['TEST_SUMMARY_FILE'];
    if (file) appendFileSync(file, text);
  }
}

const where = (module: TestModule) => relative(process.cwd(), module.moduleId);

/** An earlier try's error, its first lines, under the test's line. */
const indented = (message: string) =>
  message
    .split('\n')
    .slice(0, 40)
    .map((line) => `      ${line.slice(0, 300)}`)
    .join('\n');

const firstLine = (message: string | undefined) => (message ?? 'no message').split('\n')[0]!.slice(0, 300);
