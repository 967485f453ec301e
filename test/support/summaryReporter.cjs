// Prints one plain closing line after every jest run ("jest: N passed, N failed, N skipped"), the form
// CI reads to count tests whatever the runner.
"use strict";
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(`\njest: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`);
  }
}
module.exports = SummaryReporter;
