import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextIndex, scrollTopToReveal, windowFor } from '../../../src/core/runView/virtualWindow';

describe('virtual window', () => {
  it('renders only the rows in view plus overscan', () => {
    assert.deepEqual(windowFor(0, 220, 22, 10_000, 5), { start: 0, end: 16, offsetTop: 0, totalHeight: 220_000 });
    const w = windowFor(22_000, 220, 22, 10_000, 5);
    assert.equal(w.start, 995);
    assert.equal(w.end, 1016);
    assert.equal(w.offsetTop, 995 * 22);
  });

  it('clamps past the end, and handles empty lists and tiny lists', () => {
    const end = windowFor(10_000_000, 220, 22, 10_000, 5);
    assert.equal(end.end, 10_000);
    assert.ok(end.start >= 10_000 - 11 - 5);
    assert.deepEqual(windowFor(0, 500, 22, 0), { start: 0, end: 0, offsetTop: 0, totalHeight: 0 });
    assert.deepEqual(windowFor(-50, 500, 22, 3, 5), { start: 0, end: 3, offsetTop: 0, totalHeight: 66 });
  });

  it('scrolls as little as needed to reveal a row', () => {
    assert.equal(scrollTopToReveal(5, 0, 220, 22), 0);
    assert.equal(scrollTopToReveal(10, 0, 220, 22), 22);
    assert.equal(scrollTopToReveal(2, 200, 220, 22), 44);
  });

  it('maps navigation keys to a clamped row', () => {
    assert.equal(nextIndex('ArrowDown', 0, 10, 5), 1);
    assert.equal(nextIndex('ArrowUp', 0, 10, 5), 0);
    assert.equal(nextIndex('PageDown', 0, 10, 5), 4);
    assert.equal(nextIndex('End', 0, 10, 5), 9);
    assert.equal(nextIndex('Home', 7, 10, 5), 0);
    assert.equal(nextIndex('PageDown', 8, 10, 5), 9);
    assert.equal(nextIndex('a', 0, 10, 5), undefined);
    assert.equal(nextIndex('ArrowDown', 0, 0, 5), undefined);
  });
});
