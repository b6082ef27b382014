// A read pandas would fail on: the hint names the file as the call does, once, so the reason fits the
// inlay hint (issue 17: the label was "data/utf16.csv: /tmp/…/workspace/data/utf16.csv is UTF-16 t…").
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorForCall, errorLabel } from '../../../src/hints/errorText';

const abs = '/home/me/project/data/utf16.csv';
const utf16 = `${abs} is UTF-16 text (little-endian, it starts with a byte-order mark), not UTF-8.`;

describe('the words of a read that fails', () => {
  it('names the file as the call does, as the CLI run beside the script would', () => {
    const error = errorForCall(utf16, abs, 'data/utf16.csv');
    assert.equal(error, 'data/utf16.csv is UTF-16 text (little-endian, it starts with a byte-order mark), not UTF-8.');
    assert.equal(errorLabel(error, 'data/utf16.csv'), error);
    // The first 43 characters (VS Code's inlay hint limit) carry the reason.
    assert.match(errorLabel(error, 'data/utf16.csv').slice(0, 43), /UTF-16/);
  });

  it('leads a message that does not name the file with its name', () => {
    const gz = 'The gzip stream is truncated (it ends before its end-of-stream marker).';
    assert.equal(errorForCall(gz, '/p/data/cut.csv.gz', 'data/cut.csv.gz'), gz);
    assert.equal(errorLabel(gz, 'data/cut.csv.gz'), `data/cut.csv.gz: ${gz}`);
  });

  it('keeps the path it opened when there is nothing to name it by', () => {
    assert.equal(errorForCall(utf16, '', 'utf16.csv'), utf16);
    assert.equal(errorLabel(utf16, 'utf16.csv'), `utf16.csv: ${utf16}`);
  });
});
