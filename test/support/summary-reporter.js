// Ends every run with one plain line, "N passed, N failed, N skipped", that any CI can read.
// Printed as the process exits, so it comes after jest's own summary.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped`;
    process.once('exit', () => process.stderr.write(`${line}\n`));
  }
}
module.exports = SummaryReporter;
