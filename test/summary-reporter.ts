import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints the line CI reads, `N passed, N failed, N skipped`, alone at the very end of the run.
 * A file that failed as a whole (an import error, a throwing beforeAll) counts its tests that did not
 * pass as failed, never as skipped, so a dead database or sandbox cannot look green.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      const moduleFailed = module.state() === 'failed';
      const tests = [...module.children.allTests()];
      for (const test of tests) {
        const state = test.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed' || moduleFailed) failed += 1;
        else skipped += 1;
      }
      if (moduleFailed && tests.length === 0) failed += 1;
    }
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
